/**
 * A Better Auth plugin limiting requests per account, whatever address they
 * come from: the email in the body (lower-cased, SHA-256 hashed, so the table
 * holds no addresses) keys a counter shared by every instance.
 *
 * - sign-in: every attempt takes a slot before the password is checked (so a
 *   parallel burst cannot slip past), a successful sign-in gives them all back;
 *   what stays counted is failures, wrong password or unknown email alike.
 * - sign-up, password-reset and verification mail: every request counts (each
 *   may send a mail).
 *
 * Refused: `429 { code: "TOO_MANY_REQUESTS", message }` with `Retry-After`.
 */
import { createHash } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { Kysely } from "kysely";
import type { AccountRule } from "./account-store";
import { ACCOUNT_LIMIT_MODEL, consume, prune, reset } from "./account-store";
import { tooManyRequestsBody } from "./messages";

/** Paths limited per account, each with its rule. Sign-in counts failures only. */
export const ACCOUNT_RULES: Readonly<Record<string, AccountRule>> = {
  "/sign-in/email": { window: 15 * 60, max: 5 },
  "/sign-up/email": { window: 15 * 60, max: 5 },
  "/request-password-reset": { window: 15 * 60, max: 5 },
  "/forget-password": { window: 15 * 60, max: 5 },
  "/send-verification-email": { window: 15 * 60, max: 5 },
};

const SIGN_IN = "/sign-in/email";
const PRUNE_EVERY = 200;

export interface AccountLimitOptions {
  /** The Kysely handle Better Auth uses (`getDb().db`). */
  // biome-ignore lint/suspicious/noExplicitAny: Better Auth's tables are not in the kit's `Database` type
  db: Kysely<any>;
  /** Off outside production, like Better Auth's own limiter. Default true. */
  enabled?: boolean;
  /** Rules by path. Default `ACCOUNT_RULES`. */
  rules?: Readonly<Record<string, AccountRule>>;
}

/** The counter key of one account on one path: no email is stored in clear. */
export function accountKey(path: string, email: string): string {
  const digest = createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
  return `account:${digest}|${path}`;
}

function emailOf(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.length > 0 && email.length <= 320 ? email : undefined;
}

/** Per-account limits for sign-in, sign-up, password reset and verification mail. */
export function accountLimit({ db, enabled = true, rules = ACCOUNT_RULES }: AccountLimitOptions): BetterAuthPlugin {
  let attempts = 0;
  const longest = Math.max(...Object.values(rules).map((r) => r.window));
  const limited = (path: string | undefined) => enabled && path !== undefined && path in rules;
  return {
    id: "edge-guard-account-limit",
    schema: {
      [ACCOUNT_LIMIT_MODEL]: {
        fields: {
          key: { type: "string", unique: true, required: true },
          count: { type: "number", required: true },
          lastRequest: { type: "number", bigint: true, required: true },
        },
      },
    },
    hooks: {
      before: [
        {
          matcher: (ctx) => limited(ctx.path),
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            const rule = rules[ctx.path];
            if (!email || !rule) return;
            if (++attempts % PRUNE_EVERY === 0) {
              ctx.context.runInBackground(prune(db, longest).catch(() => undefined));
            }
            const outcome = await consume(db, accountKey(ctx.path, email), rule);
            if (outcome.allowed) return;
            throw new APIError("TOO_MANY_REQUESTS", tooManyRequestsBody("account", outcome.retryAfter), {
              "Retry-After": String(outcome.retryAfter),
              "Cache-Control": "private, no-store",
            });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => limited(ctx.path) && ctx.path === SIGN_IN,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email && ctx.context.newSession) await reset(db, accountKey(SIGN_IN, email));
          }),
        },
      ],
    },
  };
}
