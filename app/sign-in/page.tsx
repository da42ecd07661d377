import type { Metadata } from "next";
import { AuthForm } from "@/app/components/auth-form";
import { safeNextPath } from "@/lib/edge/next-path";

export const metadata: Metadata = { title: "Sign in · edge-guard" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === "string" ? next : undefined);
  return (
    <>
      <h1>Sign in</h1>
      <AuthForm mode="sign-in" next={target} />
      <p>
        No account? <a href={`/sign-up?next=${encodeURIComponent(target)}`}>Sign up</a>
      </p>
    </>
  );
}
