"use client";

import { useState } from "react";
import { ApiAuthError, browserApi } from "@/lib/api";

/**
 * Asks the backend who we are from the browser: through the same-origin proxy
 * (`/api/backend/whoami`), which adds the token, so script never sees it.
 */
export function BackendWhoami() {
  const [answer, setAnswer] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ask = async () => {
    setPending(true);
    try {
      const response = await browserApi("/whoami", { headers: { accept: "application/json" } });
      const body = (await response.json()) as { sub?: string; message?: string };
      setAnswer(response.ok ? `The backend says you are ${body.sub}.` : (body.message ?? `Error ${response.status}.`));
    } catch (error) {
      setAnswer(error instanceof ApiAuthError ? error.message : "The backend could not be reached.");
    } finally {
      setPending(false);
    }
  };
  return (
    <p>
      <button type="button" onClick={ask} disabled={pending}>
        Ask the backend from the browser
      </button>{" "}
      {answer && <output data-testid="browser-backend-answer">{answer}</output>}
    </p>
  );
}
