import { getUser } from "@/lib/session";

/** What the kit is, and where to go from here. */
export default async function Home({ searchParams }: { searchParams: Promise<{ account?: string | string[] }> }) {
  const [{ account }, user] = await Promise.all([searchParams, getUser()]);
  return (
    <>
      {account === "deleted" && (
        <p role="status" className="ok">
          Your account was deleted and every device signed out.
        </p>
      )}
      <h1>edge-guard</h1>
      <p>
        A self-hosted authentication kit for Next.js. Sign-in and sessions are handled by Better Auth in Postgres; every
        protected request is checked at the edge by verifying a short-lived, EdDSA-signed JWT against a cached public
        key set — no database round trip, no page rendered before the check.
      </p>
      <ul>
        {user ? (
          <li>
            Go to your <a href="/dashboard">dashboard</a> or your <a href="/account">account settings</a>.
          </li>
        ) : (
          <li>
            <a href="/sign-up">Create an account</a> or <a href="/sign-in">sign in</a>.
          </li>
        )}
        <li>
          <a href="/dashboard">/dashboard</a> and <a href="/account">/account</a> are protected: without a valid token
          you are redirected to sign-in.
        </li>
        <li>
          <a href="/api/me">/api/me</a> answers the verified user as JSON (cookie or <code>Authorization: Bearer</code>
          ), or 401.
        </li>
      </ul>
    </>
  );
}
