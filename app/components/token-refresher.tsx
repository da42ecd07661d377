"use client";

import { useEffect } from "react";
import { signInPath } from "@/lib/edge/next-path";

/** Seconds before expiry at which the background refresh fires. */
const LEAD_SECONDS = 60;

/**
 * Keeps the access-JWT cookie fresh while the page is open, so an active user
 * practically never takes the refresh hop. The token itself never reaches
 * script: the server sets the HttpOnly cookie and answers only the new expiry.
 */
export function TokenRefresher({ expiresAt }: { expiresAt: number }) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const schedule = (expSeconds: number) => {
      const delay = Math.max(5_000, expSeconds * 1000 - Date.now() - LEAD_SECONDS * 1000);
      timer = setTimeout(refresh, delay);
    };
    const refresh = async () => {
      try {
        const response = await fetch("/api/auth/refresh", { method: "POST", headers: { Accept: "application/json" } });
        if (stopped) return;
        if (response.ok) {
          const { expiresAt: next } = (await response.json()) as { expiresAt: string };
          schedule(Date.parse(next) / 1000);
        } else if (response.status === 401) {
          window.location.assign(signInPath(`${window.location.pathname}${window.location.search}`));
        } else schedule(Date.now() / 1000 + LEAD_SECONDS + 15); // transient: retry soon, never sign out
      } catch {
        if (!stopped) schedule(Date.now() / 1000 + LEAD_SECONDS + 15);
      }
    };
    schedule(expiresAt);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [expiresAt]);
  return null;
}
