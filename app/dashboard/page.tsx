import type { Metadata } from "next";
import { SignOutButton } from "@/app/components/sign-out-button";
import { TokenRefresher } from "@/app/components/token-refresher";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "Dashboard · edge-guard" };

export default async function DashboardPage() {
  // The middleware already checked; this re-check (a cache lookup) keeps the page safe if it is ever skipped.
  const user = await requireUser({ redirectTo: "/dashboard" });
  const expires = new Date(user.exp * 1000).toISOString();
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        Signed in as <strong>{user.name || user.email}</strong>.
      </p>
      <dl>
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd data-testid="email">{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
        <dt>Access token expires</dt>
        <dd>
          <time dateTime={expires} data-testid="token-expiry">
            {expires}
          </time>
        </dd>
      </dl>
      <SignOutButton />
      <TokenRefresher expiresAt={user.exp} />
    </>
  );
}
