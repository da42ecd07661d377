import type { Metadata } from "next";
import { mailEnabled } from "@/lib/mail/mode";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password · edge-guard" };
// Whether mail is on is read at request time, from the running server's configuration.
export const dynamic = "force-dynamic";

/** Step 1 of a reset: the email address. With mail off (production without `SMTP_URL`) it says so instead. */
export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Forgot your password?</h1>
      {mailEnabled() ? (
        <>
          <p>Enter the email address of your account. We will mail you a link to choose a new password.</p>
          <ForgotPasswordForm />
        </>
      ) : (
        <p role="status" data-testid="reset-unavailable">
          Password reset by mail is not set up on this deployment. Ask the people who run it to reset your password.
        </p>
      )}
      <p>
        <a href="/sign-in">Back to sign in</a>
      </p>
    </>
  );
}
