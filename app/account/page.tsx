import type { Metadata } from "next";
import { headers } from "next/headers";
import { DisplayNameForm } from "@/app/components/display-name-form";
import { TokenRefresher } from "@/app/components/token-refresher";
import type { Device } from "@/lib/accounts/devices";
import { listDevices } from "@/lib/accounts/devices";
import { serverConfig } from "@/lib/config";
import { requireUser } from "@/lib/session";
import { DeleteForm } from "./delete-form";
import type { DeviceRow } from "./devices-panel";
import { DevicesPanel } from "./devices-panel";
import { EmailForm } from "./email-form";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Account · edge-guard" };

const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function ago(iso: string, now: number): string {
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function toRow(device: Device, now: number): DeviceRow {
  return {
    ...device,
    signedInText: `${DATE.format(new Date(device.signedInAt))} UTC`,
    lastActiveText: ago(device.lastActiveAt, now),
  };
}

/** Devices, or `null` when the session store cannot be asked right now (the rest of the page still works). */
async function devices(): Promise<DeviceRow[] | null> {
  try {
    const now = Date.now();
    return (await listDevices(await headers())).map((device) => toRow(device, now));
  } catch (error) {
    console.error("[edge-guard] listing devices failed:", error instanceof Error ? error.message : "unknown error");
    return null;
  }
}

export default async function AccountPage() {
  // The middleware already checked; this re-check keeps the page safe if it is ever skipped.
  const user = await requireUser({ redirectTo: "/account" });
  const rows = await devices();
  const ttlMinutes = Math.max(1, Math.round(serverConfig().jwtTtlSeconds / 60));
  return (
    <>
      <h1>Account</h1>
      <p>
        Signed in as <strong data-testid="account-email">{user.email}</strong>.
      </p>

      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <DisplayNameForm name={user.name} />
        <EmailForm email={user.email} />
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <PasswordForm minLength={serverConfig().passwordMinLength} />
      </section>

      <section className="card" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Devices</h2>
        <p className="hint">
          Every browser signed in to your account. “Last active” is when the device last renewed its access token, which
          an open page does every {ttlMinutes} min or so; it is updated at most that often.
        </p>
        {rows ? (
          <DevicesPanel devices={rows} />
        ) : (
          <p className="notice">Your devices cannot be listed right now; try again shortly.</p>
        )}
      </section>

      <section className="card danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <p>This deletes your account, signs out every device and cannot be undone. Enter your password to confirm.</p>
        <DeleteForm />
      </section>
      <TokenRefresher expiresAt={user.exp} />
    </>
  );
}
