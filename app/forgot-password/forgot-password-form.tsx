"use client";

import type { FormEvent } from "react";
import { useState } from "react";
import { describeAuthError } from "@/app/components/auth-errors";
import { authClient } from "@/lib/auth-client";

/**
 * Asks Better Auth for a reset mail. The answer is the same whether or not an
 * account uses the address, so the page says the same in both cases.
 */
export function ForgotPasswordForm() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!email.includes("@")) {
      setError("Enter a valid email address.");
      return;
    }
    setPending(true);
    const result = await authClient.requestPasswordReset({ email, redirectTo: "/reset-password" });
    setPending(false);
    if (result.error) setError(describeAuthError(result.error));
    else setSentTo(email);
  }

  if (sentTo) {
    return (
      <p role="status" data-testid="reset-requested">
        If an account uses <strong>{sentTo}</strong>, a link to reset its password is on its way. It works once, for one
        hour. Nothing arrived? Check your spam folder, or <a href="/forgot-password">ask again</a>.
      </p>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={pending}>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? "Sending…" : "Send me a reset link"}
      </button>
    </form>
  );
}
