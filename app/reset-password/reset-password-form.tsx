"use client";

import type { FormEvent } from "react";
import { useState } from "react";
import { describeAuthError } from "@/app/components/auth-errors";
import { authClient } from "@/lib/auth-client";

export interface ResetPasswordFormProps {
  /** The token from the mail's link. */
  token: string;
  /** `AUTH_PASSWORD_MIN_LENGTH`. */
  minPasswordLength: number;
}

/**
 * Sets the new password with Better Auth (`POST /api/auth/reset-password`),
 * which spends the token and ends every session of the user. This browser's
 * cookies are then cleared too, and it goes to sign-in with a notice.
 */
export function ResetPasswordForm({ token, minPasswordLength }: ResetPasswordFormProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ text: string; expired: boolean } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError({ text: "The two passwords differ. Type the same new password twice.", expired: false });
      return;
    }
    setPending(true);
    const result = await authClient.resetPassword({ newPassword: password, token });
    if (result.error) {
      setError({ text: describeAuthError(result.error), expired: result.error.code === "INVALID_TOKEN" });
      setPending(false);
      return;
    }
    // Every session was revoked; drop this browser's cookies (the access JWT's included) before signing in again.
    await authClient.signOut().catch(() => undefined);
    window.location.assign("/sign-in?reset=done");
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={pending}>
      <label>
        New password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          maxLength={128}
          aria-describedby="new-password-hint"
        />
      </label>
      <p id="new-password-hint" className="hint">
        At least {minPasswordLength} characters. Common passwords and your email address are refused.
      </p>
      <label>
        New password, again
        <input name="confirm" type="password" autoComplete="new-password" required maxLength={128} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error.text} {error.expired && <a href="/forgot-password">Ask for a new link</a>}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}
