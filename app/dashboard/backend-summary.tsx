import { ApiAuthError } from "@/lib/api";
import { serverApi } from "@/lib/api-server";

/** How long the dashboard waits for the backend before rendering without it. */
const TIMEOUT_MS = 3_000;

async function askBackend(): Promise<{ sub: string } | { error: string }> {
  try {
    const response = await serverApi()("/whoami", { signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
    if (!response.ok) return { error: `The backend answered ${response.status}.` };
    const { sub } = (await response.json()) as { sub?: unknown };
    return typeof sub === "string" ? { sub } : { error: "The backend answered without a user id." };
  } catch (error) {
    if (error instanceof ApiAuthError) return { error: error.message };
    return { error: "The backend is unreachable." };
  }
}

/**
 * What `BACKEND_URL` says about the signed-in user, asked from the server with
 * the central API client (`Authorization: Bearer`, the token never leaves the server).
 */
export async function BackendSummary() {
  const answer = await askBackend();
  return (
    <p>
      {"sub" in answer ? (
        <>
          The backend verified your token: you are <code data-testid="backend-sub">{answer.sub}</code>.
        </>
      ) : (
        <span data-testid="backend-error">{answer.error}</span>
      )}
    </p>
  );
}
