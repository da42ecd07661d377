"use client";

import type { FormEvent } from "react";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";

/** Turns Better Auth's error codes into sentences a person can act on. */
function describe(error: { code?: string | undefined; message?: string | undefined; status: number }): string {
  switch (error.code) {
    case "INVALID_EMAIL_OR_PASSWORD":
      return "Wrong email or password.";
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return "An account with this email already exists. Sign in instead.";
    case "PASSWORD_TOO_SHORT":
      return "Password is too weak: use at least 8 characters.";
    case "PASSWORD_TOO_LONG":
      return "Password is too long: use at most 128 characters.";
    case "INVALID_EMAIL":
      return "Enter a valid email address.";
    default:
      if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
      if (error.status >= 500) return "The service is temporarily unavailable. Try again shortly.";
      return error.message || "Something went wrong. Try again.";
  }
}

/** Sign-in or sign-up form; on success goes to `next` (already checked to be same-origin). */
export function AuthForm({ mode, next }: { mode: "sign-in" | "sign-up"; next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({
            email,
            password,
            name: String(form.get("name") ?? "") || (email.split("@")[0] ?? email),
          })
        : await authClient.signIn.email({ email, password });
    if (result.error) {
      setError(describe(result.error));
      setPending(false);
      return;
    }
    // A full navigation, so the new access cookie rides on the next request through the edge.
    window.location.assign(next);
  }

  return (
    <form onSubmit={onSubmit} noValidate>
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
          minLength={8}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {mode === "sign-up" ? "Create account" : "Sign in"}
      </button>
    </form>
  );
}
