/**
 * The load test's population: signed-in devices (a cookie jar each, its
 * access JWT and that token's expiry), a pool a worker borrows one from
 * exclusively, tokens kept after they expired, and forged tokens of every
 * kind the guard must refuse.
 */
import { createHmac } from "node:crypto";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import { authCall } from "../helpers/admin-http";
import { CookieJar } from "../helpers/http";
import { b64, makeKey, sign } from "../helpers/tokens";

/** One signed-in browser or API client. */
export interface Device {
  readonly email: string;
  readonly userId: string;
  readonly jar: CookieJar;
}

function tokenExp(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString() || "{}") as {
    exp?: number;
  };
  return payload.exp ?? 0;
}

/** The device's access JWT and its `exp` (seconds). */
export function tokenOf(device: Device): { token: string; exp: number } {
  const token = device.jar.get(ACCESS_COOKIE) ?? "";
  return { token, exp: tokenExp(token) };
}

/** Devices not in use, and tokens seen expire (genuinely signed, past `exp`). */
export class DevicePool {
  private readonly free: Device[] = [];
  private readonly retired: { token: string; exp: number }[] = [];

  add(device: Device): void {
    this.free.push(device);
  }

  /** A free device (removed until `release`), or undefined when all are busy. */
  borrow(): Device | undefined {
    return this.free.splice(Math.floor(Math.random() * this.free.length), 1)[0];
  }

  release(device: Device): void {
    this.free.push(device);
  }

  get size(): number {
    return this.free.length;
  }

  /** Keeps a replaced token, to be sent once it has expired (bounded). */
  retire(token: string): void {
    if (this.retired.length < 2000) this.retired.push({ token, exp: tokenExp(token) });
  }

  /** A genuinely signed token whose `exp` passed longer ago than the verifier's 5 s clock tolerance, if any. */
  takeExpired(): string | undefined {
    const index = this.retired.findIndex((t) => t.exp < Date.now() / 1000 - 7);
    return index < 0 ? undefined : this.retired.splice(index, 1)[0]?.token;
  }
}

/** Signs in `email`; the device, or the status Better Auth answered. */
export async function signInDevice(base: string, email: string, password: string): Promise<Device | number> {
  const jar = new CookieJar();
  const { status, json } = await authCall(base, "sign-in/email", { jar, body: { email, password } });
  if (status !== 200) return status;
  return { email, userId: String((json?.user as { id?: string } | undefined)?.id ?? ""), jar };
}

/** The kinds of forged token sent, each built from a real one. */
export const FORGERIES = [
  "bit-flipped signature",
  "claims edited (role admin)",
  "attacker key",
  "alg none",
  "HS256 with the public key",
  "garbage",
] as const;

/** A forged variant of `token` (a real one), of the given kind. */
export async function forge(kind: (typeof FORGERIES)[number], token: string, base: string): Promise<string> {
  const [head = "", body = "", sig = ""] = token.split(".");
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
  switch (kind) {
    case "bit-flipped signature": {
      const bytes = Buffer.from(sig, "base64url");
      bytes[5] = (bytes[5] ?? 0) ^ 1;
      return `${head}.${body}.${bytes.toString("base64url")}`;
    }
    case "claims edited (role admin)":
      return `${head}.${b64({ ...claims, role: "admin" })}.${sig}`;
    case "attacker key":
      return sign(await makeKey(JSON.parse(Buffer.from(head, "base64url").toString()).kid), { claims });
    case "alg none":
      return `${b64({ alg: "none" })}.${body}.`;
    case "HS256 with the public key": {
      const jwks = (await (await fetch(`${base}/api/auth/jwks`)).json()) as { keys: unknown[] };
      const h = b64({ alg: "HS256", kid: (jwks.keys[0] as { kid: string }).kid });
      const mac = createHmac("sha256", JSON.stringify(jwks.keys[0])).update(`${h}.${body}`).digest("base64url");
      return `${h}.${body}.${mac}`;
    }
    case "garbage":
      return `${Math.random().toString(36)}.${Math.random().toString(36)}.x`;
  }
}
