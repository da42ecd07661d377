import type { Metadata } from "next";
import { serverConfig } from "@/lib/config";
import { ResetPasswordForm } from "./reset-password-form";

// The token is in the address: never send it on as a Referer.
export const metadata: Metadata = { title: "Choose a new password · edge-guard", referrer: "no-referrer" };

/** Step 2 of a reset, opened from the mail's link (`?token=…`): the new password, twice. */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[]; error?: string | string[] }>;
}) {
  const { token, error } = await searchParams;
  const usable = typeof token === "string" && token.length > 0 && !error;
  return (
    <>
      <h1>Choose a new password</h1>
      {usable ? (
        <ResetPasswordForm token={token} minPasswordLength={serverConfig().passwordMinLength} />
      ) : (
        <p role="alert" className="error">
          This link has expired or is not valid. <a href="/forgot-password">Ask for a new one</a>.
        </p>
      )}
    </>
  );
}
