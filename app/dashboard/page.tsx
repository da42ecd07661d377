import type { Metadata } from "next";
import { Suspense } from "react";
import { DisplayNameForm } from "@/app/components/display-name-form";
import { SignOutButton } from "@/app/components/sign-out-button";
import { TokenRefresher } from "@/app/components/token-refresher";
import { serverConfig } from "@/lib/config";
import { requireUser } from "@/lib/session";
import { BackendSummary } from "./backend-summary";
import { BackendWhoami } from "./backend-whoami";

export const metadata: Metadata = { title: "Dashboard · edge-guard" };

export default async function DashboardPage() {
  // The middleware already checked; this re-check (a cache lookup) keeps the page safe if it is ever skipped.
  const user = await requireUser({ redirectTo: "/dashboard" });
  const expires = new Date(user.exp * 1000).toISOString();
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        Signed in as <strong data-testid="display-name">{user.name || user.email}</strong>.
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
      <DisplayNameForm name={user.name} />
      {serverConfig().backendUrl && (
        <section>
          <h2>Backend</h2>
          <Suspense fallback={<p>Asking the backend…</p>}>
            <BackendSummary />
          </Suspense>
          <BackendWhoami />
        </section>
      )}
      <SignOutButton />
      <TokenRefresher expiresAt={user.exp} />
    </>
  );
}
