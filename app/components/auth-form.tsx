"use client";

import type { FormEvent } from "react";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { describeAuthError } from "./auth-errors";
import { ResendVerification } from "./resend-verification";

export interface AuthFormProps {
  mode: "sign-in" | "sign-up";
  /** Where to go on success (already checked to be same-origin). */
  next: string;
  /** `AUTH_PASSWORD_MIN_LENGTH`, for the hint and the field's `minLength`. Default 8. */
  minPasswordLength?: number;
}

/**
 * Sign-in or sign-up form. On success goes to `next`. With email verification
 * required, sign-up ends on "check your inbox" and a refused sign-in
 * (`EMAIL_NOT_VERIFIED`) offers to send the link again.
 */
export function AuthForm({ mode, next, minPasswordLength = 8 }: AuthFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [unverified, setUnverified] = useState<string | null>(null);
  const [mailedTo, setMailedTo] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setUnverified(null);
    setPending(true);
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({
            email,
            password,
            name: String(form.get("name") ?? "") || (email.split("@")[0] ?? email),
            // Where the verification link lands (when verification is on).
            callbackURL: next,
          })
        : await authClient.signIn.email({ email, password });
    if (result.error) {
      setError(describeAuthError(result.error));
      if (result.error.code === "EMAIL_NOT_VERIFIED") setUnverified(email);
      setPending(false);
      return;
    }
    // No session token: the account waits for its email to be confirmed.
    if (mode === "sign-up" && !result.data?.token) {
      setMailedTo(email);
      setPending(false);
      return;
    }
    // A full navigation, so the new access cookie rides on the next request through the edge.
    window.location.assign(next);
  }

  if (mailedTo) {
    return (
      <section aria-labelledby="check-inbox">
        <h2 id="check-inbox">Check your inbox</h2>
        <p role="status">
          We sent a link to <strong>{mailedTo}</strong>. Follow it to confirm your address and sign in.
        </p>
        <ResendVerification email={mailedTo} next={next} />
      </section>
    );
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate aria-busy={pending}>
        {mode === "sign-up" && (
          <label>
            Name
            <input name="name" autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
            required
            minLength={minPasswordLength}
            maxLength={128}
            aria-describedby={mode === "sign-up" ? "password-hint" : undefined}
          />
        </label>
        {mode === "sign-up" && (
          <p id="password-hint" className="hint">
            At least {minPasswordLength} characters. Common passwords and your email address are refused.
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending
            ? mode === "sign-up"
              ? "Creating account…"
              : "Signing in…"
            : mode === "sign-up"
              ? "Create account"
              : "Sign in"}
        </button>
        {mode === "sign-in" && (
          <p>
            <a href="/forgot-password">Forgot password?</a>
          </p>
        )}
      </form>
      {unverified && <ResendVerification email={unverified} next={next} />}
    </>
  );
}
