/**
 * `BETTER_AUTH_SECRET`: what counts as weak, and the throwaway development
 * secret kept in the git-ignored `.data/` folder (Node only).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where development state lives (git-ignored). */
export const DATA_DIR = path.join(process.cwd(), ".data");
const DEV_SECRET_FILE = path.join(DATA_DIR, "dev-secret");
/** Shortest secret accepted in production. */
export const MIN_SECRET_LENGTH = 32;
/** Values from docs and examples that someone may paste as is. */
const PLACEHOLDERS = new Set(["change-me", "changeme", "secret", "replace-with-openssl-rand-base64-32"]);
/** A random 32-character secret has far more distinct characters than this; `aaaa…` or `abab…` has fewer. */
const MIN_DISTINCT_CHARACTERS = 8;

/** Why `secret` must not sign anything in production, or `undefined` when it is fit. */
export function secretProblem(secret: string | undefined): "missing" | "too weak" | undefined {
  if (!secret) return "missing";
  if (secret.length < MIN_SECRET_LENGTH || PLACEHOLDERS.has(secret.toLowerCase())) return "too weak";
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return "too weak";
  return undefined;
}

/** The one line printed when production has no fit secret. */
export function secretMessage(problem: "missing" | "too weak"): string {
  return `BETTER_AUTH_SECRET is ${problem}: set it to at least ${MIN_SECRET_LENGTH} random characters (openssl rand -base64 32)`;
}

/** The development secret: read from `.data/dev-secret`, or generated there once (owner-only) and announced. */
export function devSecret(): string {
  if (existsSync(DEV_SECRET_FILE)) return readFileSync(DEV_SECRET_FILE, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(DEV_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  console.info("[edge-guard] No BETTER_AUTH_SECRET set: generated a development secret in .data/dev-secret");
  return secret;
}
