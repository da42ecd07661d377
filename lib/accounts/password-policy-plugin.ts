/**
 * A Better Auth plugin that applies the kit's password rule
 * (`./password-policy`) before Better Auth handles a new password: sign-up,
 * reset (by mail link) and change. A refused password is a `400` with a
 * stable `code` and a message that says why; nothing is written.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { checkPassword } from "./password-policy";

/** The endpoints that set a password, and the body field that carries it. */
const PASSWORD_FIELDS: Readonly<Record<string, "password" | "newPassword">> = {
  "/sign-up/email": "password",
  "/reset-password": "newPassword",
  "/change-password": "newPassword",
};

export interface PasswordPolicyOptions {
  /** Shortest password accepted (`serverConfig().passwordMinLength`). */
  minLength: number;
}

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** Whose password it is: from the body (sign-up), the reset token, or the session (change). */
async function owner(ctx: HookContext): Promise<{ email?: string; name?: string }> {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (ctx.path === "/sign-up/email") {
    return { email: String(body.email ?? ""), name: String(body.name ?? "") };
  }
  if (ctx.path === "/reset-password") {
    const token = typeof body.token === "string" ? body.token : ctx.query?.token;
    if (typeof token !== "string" || !token) return {};
    const verification = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
    const user = verification ? await ctx.context.internalAdapter.findUserById(verification.value) : null;
    return user ? { email: user.email, name: user.name } : {};
  }
  const session = await getSessionFromCtx(ctx);
  return session ? { email: session.user.email, name: session.user.name } : {};
}

/** The password rule as a Better Auth plugin (`plugins: [passwordPolicy({ minLength })]`). */
export function passwordPolicy(options: PasswordPolicyOptions): BetterAuthPlugin {
  return {
    id: "edge-guard-password-policy",
    hooks: {
      before: [
        {
          matcher: (ctx) => Object.hasOwn(PASSWORD_FIELDS, ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const field = PASSWORD_FIELDS[ctx.path];
            const password = field ? (ctx.body as Record<string, unknown> | undefined)?.[field] : undefined;
            // Missing or not a string: Better Auth's own validation answers it.
            if (typeof password !== "string") return;
            const verdict = checkPassword(password, { minLength: options.minLength, ...(await owner(ctx)) });
            if (!verdict.ok) throw APIError.from("BAD_REQUEST", { code: verdict.code, message: verdict.message });
          }),
        },
      ],
    },
  };
}
