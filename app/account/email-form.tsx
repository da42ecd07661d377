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
 * `POST /api/auth/change-email`. Depending on the server's configuration the
 * address changes at once or only after a link sent to the new address is
 * followed; the form asks the session afterwards and says which happened.
 */
export function EmailForm({ email }: { email: string }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ status: "idle", message: "" });
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const newEmail = String(new FormData(event.currentTarget).get("newEmail") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(newEmail))
      return setState({ status: "error", message: "Enter a valid email address." });
    if (newEmail.toLowerCase() === email.toLowerCase()) {
      return setState({ status: "error", message: "That is already your email address." });
    }
    setPending(true);
    setState({ status: "idle", message: "" });
    const result = await authClient.changeEmail({ newEmail, callbackURL: "/account" });
    if (result.error) {
      setPending(false);
      return setState({ status: "error", message: describeError(result.error) });
    }
    const session = await authClient.getSession();
    setPending(false);
    if (session.data?.user.email.toLowerCase() === newEmail.toLowerCase()) {
      setState({ status: "done", message: `Your email address is now ${newEmail}.` });
      router.refresh();
    } else {
      setState({
        status: "done",
        message: `We sent a link to ${newEmail}. Your address changes once you follow it; until then you sign in with ${email}.`,
      });
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <label>
        New email address
        <input name="newEmail" type="email" autoComplete="email" required />
      </label>
      <FormMessage state={state} />
      <button type="submit" disabled={pending || !hydrated} aria-busy={pending}>
        {pending ? "Saving…" : "Change email"}
      </button>
    </form>
  );
}
