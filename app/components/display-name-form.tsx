"use client";

import { useActionState } from "react";
import { FormMessage } from "@/app/components/form-message";
import type { DisplayNameState } from "@/app/dashboard/actions";
import { updateDisplayName } from "@/app/dashboard/actions";

const IDLE: DisplayNameState = { status: "idle", message: "" };

/**
 * The action, with the one failure it cannot report itself: when the guard
 * refuses the call before it runs (signed out, token expired), Next only sees
 * a non-action response and throws. Ask `/api/me` whether we are signed in to say why.
 */
async function submit(previous: DisplayNameState, formData: FormData): Promise<DisplayNameState> {
  try {
    return await updateDisplayName(previous, formData);
  } catch {
    const me = await fetch("/api/me", { headers: { accept: "application/json" } }).catch(() => null);
    return me?.status === 401
      ? { status: "error", message: "You are signed out. Sign in again to change your name." }
      : { status: "error", message: "Your name could not be saved; try again shortly." };
  }
}

/** Edits the display name with a Server Action; the page re-renders with the new name on success. */
export function DisplayNameForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(submit, IDLE);
  return (
    <form action={action}>
      <label>
        Display name
        <input name="name" defaultValue={state.name ?? name} maxLength={80} required autoComplete="name" />
      </label>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Save name"}
      </button>
    </form>
  );
}
