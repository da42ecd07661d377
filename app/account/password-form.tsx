"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useState } from "react";
import { FormMessage } from "@/app/components/form-message";
import { useHydrated } from "@/app/components/use-hydrated";
import { authClient } from "@/lib/auth-client";
import { describeError } from "./messages";

type State = { status: "idle" | "done" | "error"; message: string };

/**
 * `POST /api/auth/change-password`: the current password is required; "sign
 * out my other devices" (checked by default) sends `revokeOtherSessions`,
 * after which Better Auth gives this device a new session and the kit a new
 * access cookie, so this page keeps working.
 */
export function PasswordForm({ minLength }: { minLength: number }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ status: "idle", message: "" });
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    const revokeOtherSessions = form.get("revokeOtherSessions") === "on";
    if (!currentPassword || !newPassword) {
      return setState({ status: "error", message: "Enter your current password and a new one." });
    }
    if (newPassword !== form.get("repeatPassword")) {
      return setState({ status: "error", message: "The two new passwords differ." });
    }
    setPending(true);
    setState({ status: "idle", message: "" });
    const result = await authClient.changePassword({ currentPassword, newPassword, revokeOtherSessions });
    setPending(false);
    if (result.error) return setState({ status: "error", message: describeError(result.error) });
    formElement.reset();
    setState({
      status: "done",
      message: revokeOtherSessions ? "Password changed. Your other devices are signed out." : "Password changed.",
    });
    router.refresh(); // the devices list
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby="password-hint">
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={minLength} />
      </label>
      <label>
        Repeat new password
        <input name="repeatPassword" type="password" autoComplete="new-password" required minLength={minLength} />
      </label>
      <p id="password-hint" className="hint">
        At least {minLength} characters; avoid common passwords and your email address.
      </p>
      <label className="check">
        <input name="revokeOtherSessions" type="checkbox" defaultChecked />
        Sign out my other devices
      </label>
      <FormMessage state={state} />
      <button type="submit" disabled={pending || !hydrated} aria-busy={pending}>
        {pending ? "Changing password…" : "Change password"}
      </button>
    </form>
  );
}
