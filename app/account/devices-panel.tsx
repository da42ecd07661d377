"use client";

import { useActionState } from "react";
import { FormMessage } from "@/app/components/form-message";
import type { DeviceActionState } from "./actions";
import { signOutDevice, signOutOtherDevices } from "./actions";

/** One device as the page shows it: the server formats the times, so nothing differs at hydration. */
export interface DeviceRow {
  readonly id: string;
  readonly browser: string;
  readonly os: string;
  readonly ip: string | null;
  readonly signedInAt: string;
  readonly signedInText: string;
  readonly lastActiveAt: string;
  readonly lastActiveText: string;
  readonly current: boolean;
}

const IDLE: DeviceActionState = { status: "idle", message: "" };
const SIGNED_OUT: DeviceActionState = {
  status: "error",
  message: "You are signed out. Sign in again to manage your devices.",
};

/**
 * The action, with the one failure it cannot report itself: when the guard
 * refuses the call before it runs (signed out, token expired), Next only sees
 * a non-action response and throws. Ask `/api/me` whether we are signed in to say why.
 */
function guarded<A extends unknown[]>(action: (state: DeviceActionState, ...args: A) => Promise<DeviceActionState>) {
  return async (state: DeviceActionState, ...args: A): Promise<DeviceActionState> => {
    try {
      return await action(state, ...args);
    } catch {
      const me = await fetch("/api/me", { headers: { accept: "application/json" } }).catch(() => null);
      return me?.status === 401 ? SIGNED_OUT : { status: "error", message: "That did not work; try again shortly." };
    }
  };
}

const signOutOne = guarded(signOutDevice);
const signOutOthers = guarded(signOutOtherDevices);

/** Every live session of the user, the current one marked, each other one with its own sign-out. */
export function DevicesPanel({ devices }: { devices: readonly DeviceRow[] }) {
  const [one, signOut, onePending] = useActionState(signOutOne, IDLE);
  const [others, signOutRest, othersPending] = useActionState(signOutOthers, IDLE);
  const hasOthers = devices.some((d) => !d.current);
  return (
    <>
      <ul className="devices" data-testid="devices">
        {devices.map((device) => (
          <li key={device.id} className="device" data-testid={device.current ? "device-current" : "device"}>
            <div>
              <p>
                <strong>
                  {device.browser} on {device.os}
                </strong>
                {device.current && <span className="badge">This device</span>}
              </p>
              <p className="hint">
                IP {device.ip ?? "unknown"} · signed in <time dateTime={device.signedInAt}>{device.signedInText}</time>{" "}
                · last active <time dateTime={device.lastActiveAt}>{device.lastActiveText}</time>
              </p>
            </div>
            {!device.current && (
              <form action={signOut}>
                <input type="hidden" name="id" value={device.id} />
                <button
                  type="submit"
                  className="secondary"
                  disabled={onePending}
                  aria-label={`Sign out ${device.browser} on ${device.os}`}
                >
                  Sign out
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <FormMessage state={one} />
      <form action={signOutRest}>
        <FormMessage state={others} />
        {hasOthers ? (
          <button type="submit" disabled={othersPending} aria-busy={othersPending}>
            {othersPending ? "Signing out…" : "Sign out everywhere else"}
          </button>
        ) : (
          <p className="hint">No other device is signed in.</p>
        )}
      </form>
    </>
  );
}
