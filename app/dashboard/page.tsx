import type { Metadata } from "next";
import { Suspense } from "react";
import { DisplayNameForm } from "@/app/components/display-name-form";
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
      <section className="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Your account</h2>
        <p>
          <a href="/account" data-testid="account-link">
            Account settings
          </a>
          : change your name, email or password, see the devices signed in to your account and sign them out, or delete
          your account.
        </p>
      </section>
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
      <TokenRefresher expiresAt={user.exp} />
    </>
  );
}
