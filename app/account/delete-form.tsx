"use client";

import type { FormEvent } from "react";
import { useState } from "react";
import { FormMessage } from "@/app/components/form-message";
import { useHydrated } from "@/app/components/use-hydrated";
import { authClient } from "@/lib/auth-client";
import { describeError } from "./messages";

type State = { status: "idle" | "error"; message: string };

/**
 * `POST /api/auth/delete-user` with the password: the account, its sessions
 * and its rows are deleted at once, and the response clears this browser's
 * cookies (session and access JWT). Then a full navigation home.
 */
export function DeleteForm() {
  const [state, setState] = useState<State>({ status: "idle", message: "" });
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    if (!password) return setState({ status: "error", message: "Enter your password to delete your account." });
    setPending(true);
    setState({ status: "idle", message: "" });
    const result = await authClient.deleteUser({ password });
    if (result.error) {
      setPending(false);
      const message = describeError(result.error);
      return setState({ status: "error", message: `${message} Your account was not deleted.` });
    }
    window.location.assign("/?account=deleted");
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <label>
        Your password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FormMessage state={state} />
      <button type="submit" className="danger" disabled={pending || !hydrated} aria-busy={pending}>
        {pending ? "Deleting…" : "Delete my account"}
      </button>
    </form>
  );
}
