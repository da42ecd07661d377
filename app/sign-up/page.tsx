import type { Metadata } from "next";
import { AuthForm } from "@/app/components/auth-form";
import { serverConfig } from "@/lib/config";
import { safeNextPath } from "@/lib/edge/next-path";

export const metadata: Metadata = { title: "Sign up · edge-guard" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === "string" ? next : undefined);
  return (
    <>
      <h1>Create an account</h1>
      <AuthForm mode="sign-up" next={target} minPasswordLength={serverConfig().passwordMinLength} />
      <p>
        Already registered? <a href={`/sign-in?next=${encodeURIComponent(target)}`}>Sign in</a>
      </p>
    </>
  );
}
