"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth-client";

/** Revokes the session (Better Auth deletes it and clears every auth cookie), then leaves for sign-in. */
export function SignOutButton({ className }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      aria-busy={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        window.location.assign("/sign-in");
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
