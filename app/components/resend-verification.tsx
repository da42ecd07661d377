"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { describeAuthError } from "./auth-errors";

/**
 * "Send the link again": asks Better Auth to mail a fresh verification link.
 * The answer is the same whether or not the address needs one (no account
 * enumeration); the rate limiter's 429 is shown as it says.
 */
export function ResendVerification({ email, next }: { email: string; next: string }) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function resend() {
    setPending(true);
    setMessage(null);
    const result = await authClient.sendVerificationEmail({ email, callbackURL: next });
    setPending(false);
    setMessage(
      result.error
        ? { kind: "error", text: describeAuthError(result.error) }
        : { kind: "ok", text: `If ${email} still needs confirming, a new link is on its way. Check your inbox.` },
    );
  }

  return (
    <div>
      <button type="button" onClick={resend} disabled={pending} aria-busy={pending}>
        {pending ? "Sending…" : "Send the link again"}
      </button>
      {message && (
        <p role={message.kind === "error" ? "alert" : "status"} className={message.kind === "error" ? "error" : "ok"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
