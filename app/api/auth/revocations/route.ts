/**
 * `GET /api/auth/revocations`: the revocation feed (`lib/edge/revocation-feed.ts`)
 * for the edge, the server helpers and external backends. Public by design:
 * it holds only opaque handles and times, no ids, emails or tokens.
 *
 * Cacheable for what is left of the server's memo (half the revocation
 * interval at most), so a CDN in front never makes it older than the server
 * would. The database down: the last feed this server read (marked
 * `max-age=0`), or `503` when it never read one; never a 500.
 */
import { NO_STORE } from "@/lib/edge/responses";
import { feedMemoMs, revocationSnapshot } from "@/lib/revocation/feed";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The current feed. */
export async function GET(): Promise<Response> {
  const snapshot = await revocationSnapshot();
  if (!snapshot) {
    return Response.json(
      { error: "revocations_unavailable", message: "The revocation feed cannot be read right now." },
      { status: 503, headers: { "Retry-After": "5", "Cache-Control": NO_STORE } },
    );
  }
  const seconds = Math.max(0, Math.floor((feedMemoMs() - (Date.now() - snapshot.takenAt)) / 1000));
  return new Response(snapshot.body, {
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": `public, max-age=${seconds}, s-maxage=${seconds}`,
    },
  });
}
