"use server";
/**
 * Server Actions of the devices list. Each checks the caller itself
 * (`requireUser`), then asks Better Auth with the request's own session
 * cookie, so a user can only ever end their own sessions.
 */
import { APIError } from "better-auth/api";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { revokeDevice, revokeOtherDevices } from "@/lib/accounts/devices";
import { AuthError, requireUser } from "@/lib/session";

/** What a devices form shows after a submission. */
export interface DeviceActionState {
  readonly status: "idle" | "done" | "error";
  readonly message: string;
}

function failure(error: unknown): DeviceActionState {
  if (error instanceof AuthError || (error instanceof APIError && error.statusCode === 401)) {
    return { status: "error", message: "You are signed out. Sign in again to manage your devices." };
  }
  console.error("[edge-guard] device action failed:", error instanceof Error ? error.message : "unknown error");
  return { status: "error", message: "That did not work; try again shortly." };
}

/** Signs out the device whose session id is the form's `id`. */
export async function signOutDevice(_previous: DeviceActionState, formData: FormData): Promise<DeviceActionState> {
  const id = formData.get("id");
  try {
    await requireUser();
    if (typeof id !== "string" || !(await revokeDevice(await headers(), id))) {
      return { status: "error", message: "That device is already signed out." };
    }
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/account");
  return { status: "done", message: "Signed out that device." };
}

/** Signs out every device but this one. */
export async function signOutOtherDevices(_previous: DeviceActionState): Promise<DeviceActionState> {
  try {
    await requireUser();
    await revokeOtherDevices(await headers());
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/account");
  return { status: "done", message: "Signed out everywhere else." };
}
