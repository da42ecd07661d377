/**
 * The account lifecycle through the real `/api/auth/*` handler and a real SMTP
 * server: password reset, email verification (on), email change confirmed at
 * the new address, and the password rule. Registered once per database by its
 * own test file, which sets `SMTP_URL` and `AUTH_REQUIRE_EMAIL_VERIFICATION=1`
 * before loading the app.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ACCESS_COOKIE } from "@/lib/edge/config";
import type { AuthCaller } from "../helpers/auth-handler";
import { authCaller, BASE } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import type { ReceivedMail, SmtpServer } from "../helpers/smtp";
import { linksIn, onlyLink } from "../helpers/smtp";
import type { AuthApp } from "./auth-flows";

const PASSWORD = "correct-horse-1";
const NEW_PASSWORD = "brand-new-pass-2";

type Json = Record<string, unknown>;

/** Registers the flows; `app()` and `smtp()` are valid from the first test on. */
export function describeAccountFlows(title: string, app: () => AuthApp, smtp: () => SmtpServer): void {
  const caller = (): AuthCaller => authCaller(app().handler);
  /** Opens a mail's link as a browser would: a GET with this caller's cookies, no redirect followed. */
  const follow = (user: AuthCaller, link: string) => {
    const url = new URL(link);
    expect(url.origin).toBe(BASE);
    return user.call(`${url.pathname.replace(/^\/api\/auth/, "")}${url.search}`);
  };
  const userRow = (email: string) =>
    app().db.selectFrom("user").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
  const sessionCount = async (email: string) => {
    const user = await userRow(email);
    if (!user) return 0;
    return (await app().db.selectFrom("session").select("id").where("userId", "=", user.id).execute()).length;
  };
  /** Signs up, follows the verification mail, and returns the signed-in caller. */
  const verifiedUser = async (email: string, name = "Vera"): Promise<AuthCaller> => {
    const user = caller();
    expect((await user.call("/sign-up/email", { body: { email, password: PASSWORD, name } })).status).toBe(200);
    const verified = await follow(user, onlyLink(await smtp().waitForMail(email)));
    expect(verified.status).toBe(302);
    return user;
  };
  const signIn = async (email: string, password = PASSWORD) => {
    const user = caller();
    const response = await user.call("/sign-in/email", { body: { email, password } });
    return { user, response, body: (await response.clone().json()) as Json };
  };
  const requestReset = (email: string) =>
    caller().call("/request-password-reset", { body: { email, redirectTo: "/reset-password" } });
  const resetToken = async (email: string): Promise<{ mail: ReceivedMail; token: string }> => {
    expect((await requestReset(email)).status).toBe(200);
    const mail = await smtp().waitForMail(email);
    return { mail, token: new URL(onlyLink(mail)).searchParams.get("token") ?? "" };
  };

  describe(title, () => {
    describe("password reset", () => {
      it("mails one same-origin link to /reset-password, in a text and an HTML part, with the app's name", async () => {
        const email = uniqueEmail("reset-mail");
        await verifiedUser(email);
        const { mail, token } = await resetToken(email);
        const link = new URL(onlyLink(mail));
        expect(link.origin).toBe(BASE);
        expect(link.pathname).toBe("/reset-password");
        expect(token.length).toBeGreaterThanOrEqual(20);
        expect(mail.subject).toContain("Reset your password");
        expect(mail.text).toContain("edge-guard");
        expect(mail.html).toContain(`href="${link.href}"`);
        expect([...new Set(linksIn(mail.html))]).toEqual([link.href]);
        expect(mail.fromHeader).toContain("no-reply@localhost");
        expect(mail.to).toEqual([email]);
      });

      it("answers an unknown email exactly like a known one, and mails nobody", async () => {
        const known = uniqueEmail("reset-known");
        await verifiedUser(known);
        const unknown = uniqueEmail("reset-unknown");
        const [a, b] = [await requestReset(known), await requestReset(unknown)];
        expect(b.status).toBe(a.status);
        expect(await b.json()).toEqual(await a.json());
        expect([...b.headers.keys()].sort()).toEqual([...a.headers.keys()].sort());
        await smtp().waitForMail(known);
        const { mailSettled } = await import("@/lib/mail");
        await mailSettled();
        expect(
          smtp()
            .messages()
            .some((m) => m.to.includes(unknown)),
        ).toBe(false);
      });

      it("resets once: the old password fails, the new one works, and every session of the user is revoked", async () => {
        const email = uniqueEmail("reset-flow");
        const first = await verifiedUser(email);
        const second = (await signIn(email)).user;
        expect(await sessionCount(email)).toBe(2);
        const { token } = await resetToken(email);

        const reset = await caller().call("/reset-password", { body: { newPassword: NEW_PASSWORD, token } });
        expect(reset.status).toBe(200);
        expect(await sessionCount(email)).toBe(0);
        expect((await first.call("/token")).status).toBe(401);
        expect((await second.call("/token")).status).toBe(401);
        expect((await signIn(email)).body.code).toBe("INVALID_EMAIL_OR_PASSWORD");
        expect((await signIn(email, NEW_PASSWORD)).response.status).toBe(200);

        const again = await caller().call("/reset-password", { body: { newPassword: "another-new-pass-3", token } });
        expect(again.status).toBe(400);
        expect(((await again.json()) as Json).code).toBe("INVALID_TOKEN");
        expect((await signIn(email, NEW_PASSWORD)).response.status).toBe(200);
      });

      it("issues links that expire after one hour, and refuses an expired one", async () => {
        const email = uniqueEmail("reset-expiry");
        await verifiedUser(email);
        const { token } = await resetToken(email);
        const identifier = `reset-password:${token}`;
        const { rows } = await sql<{ expiresAt: Date; createdAt: Date }>`
          select "expiresAt", "createdAt" from verification where identifier = ${identifier}`.execute(app().db);
        const row = rows[0] as { expiresAt: Date; createdAt: Date };
        expect(Math.round((new Date(row.expiresAt).getTime() - new Date(row.createdAt).getTime()) / 1000)).toBe(3600);
        // The clock, moved: the row says the hour is over.
        await sql`update verification set "expiresAt" = now() - interval '1 second' where identifier = ${identifier}`.execute(
          app().db,
        );
        const late = await caller().call("/reset-password", { body: { newPassword: NEW_PASSWORD, token } });
        expect(late.status).toBe(400);
        expect(((await late.json()) as Json).code).toBe("INVALID_TOKEN");
        expect((await signIn(email)).response.status).toBe(200);
      });

      it("refuses a weak new password with a reason, and keeps the link usable", async () => {
        const email = uniqueEmail("reset-weak");
        await verifiedUser(email);
        const { token } = await resetToken(email);
        for (const [password, code] of [
          ["password123", "PASSWORD_TOO_WEAK"],
          [`${email}!`, "PASSWORD_CONTAINS_EMAIL"],
          ["short", "PASSWORD_TOO_SHORT"],
        ] as const) {
          const weak = await caller().call("/reset-password", { body: { newPassword: password, token } });
          expect(weak.status).toBe(400);
          expect(await weak.json()).toMatchObject({ code, message: expect.stringMatching(/Password/) });
        }
        expect((await caller().call("/reset-password", { body: { newPassword: NEW_PASSWORD, token } })).status).toBe(
          200,
        );
      });

      it("refuses a made-up token", async () => {
        const response = await caller().call("/reset-password", {
          body: { newPassword: NEW_PASSWORD, token: "not-a-real-token-000000" },
        });
        expect(response.status).toBe(400);
        expect(((await response.json()) as Json).code).toBe("INVALID_TOKEN");
      });
    });

    describe("email verification (AUTH_REQUIRE_EMAIL_VERIFICATION=1)", () => {
      it("sign-up mails a link and signs nobody in; sign-in is refused until the link is followed, which signs in", async () => {
        const email = uniqueEmail("verify");
        const user = caller();
        const signUp = await user.call("/sign-up/email", {
          body: { email, password: PASSWORD, name: "Vic", callbackURL: "/dashboard" },
        });
        expect(signUp.status).toBe(200);
        expect(((await signUp.json()) as Json).token).toBeNull();
        expect(user.jar.get(ACCESS_COOKIE)).toBeUndefined();
        expect(await sessionCount(email)).toBe(0);

        const refused = await signIn(email);
        expect(refused.response.status).toBe(403);
        expect(refused.body.code).toBe("EMAIL_NOT_VERIFIED");

        const mail = await smtp().waitForMail(email);
        expect(mail.subject).toContain("Confirm your email address");
        const link = new URL(onlyLink(mail));
        expect(link.origin).toBe(BASE);
        expect(link.pathname).toBe("/api/auth/verify-email");
        expect(link.searchParams.get("callbackURL")).toBe("/dashboard");

        const browser = caller();
        const verified = await follow(browser, link.href);
        expect(verified.status).toBe(302);
        expect(verified.headers.get("location")).toBe("/dashboard");
        // Signed in at once, access JWT included: the dashboard needs no refresh hop.
        expect(browser.jar.get(ACCESS_COOKIE)).toBeTruthy();
        expect((await userRow(email))?.emailVerified).toBe(true);
        const session = (await (await browser.call("/get-session")).json()) as { user: Json } | null;
        expect(session?.user).toMatchObject({ email, emailVerified: true });
        expect((await signIn(email)).response.status).toBe(200);
      });

      it("sends the user to the dashboard when the sign-up named no page or a foreign one", async () => {
        for (const callbackURL of [undefined, "//evil.example/x", "https://evil.example/"]) {
          const email = uniqueEmail("verify-callback");
          const body = { email, password: PASSWORD, name: "Cal", ...(callbackURL && { callbackURL }) };
          const response = await caller().call("/sign-up/email", { body });
          // Better Auth itself refuses a foreign absolute callback (403): nothing is mailed then.
          if (response.status !== 200) {
            expect(response.status).toBe(403);
            continue;
          }
          const link = new URL(onlyLink(await smtp().waitForMail(email)));
          expect(link.searchParams.get("callbackURL")).toBe("/dashboard");
        }
      });

      it("send-verification-email answers the same for unknown, verified and unverified addresses, and mails only the unverified", async () => {
        const unverified = uniqueEmail("resend");
        await caller().call("/sign-up/email", { body: { email: unverified, password: PASSWORD, name: "Re" } });
        await smtp().waitForMail(unverified); // the sign-up's own mail
        const verified = uniqueEmail("resend-done");
        await verifiedUser(verified);
        const unknown = uniqueEmail("resend-unknown");
        const answers = [];
        for (const email of [unverified, verified, unknown]) {
          const response = await caller().call("/send-verification-email", {
            body: { email, callbackURL: "/dashboard" },
          });
          answers.push({ status: response.status, body: await response.json() });
        }
        expect(answers).toEqual([answers[0], answers[0], answers[0]]);
        expect(answers[0]).toEqual({ status: 200, body: { status: true } });
        const again = await smtp().waitForMail(unverified);
        expect(new URL(onlyLink(again)).pathname).toBe("/api/auth/verify-email");
        const { mailSettled } = await import("@/lib/mail");
        await mailSettled();
        const to = (email: string) =>
          smtp()
            .messages()
            .filter((m) => m.to.includes(email)).length;
        expect(to(verified)).toBe(1);
        expect(to(unknown)).toBe(0);
      });

      it("answers a sign-up with a taken email like a new one", async () => {
        const email = uniqueEmail("verify-taken");
        const first = await caller().call("/sign-up/email", { body: { email, password: PASSWORD, name: "One" } });
        const second = await caller().call("/sign-up/email", { body: { email, password: NEW_PASSWORD, name: "One" } });
        expect(second.status).toBe(first.status);
        expect(Object.keys((await second.json()) as Json).sort()).toEqual(
          Object.keys((await first.json()) as Json).sort(),
        );
      });

      it("refuses a tampered verification link: no session, not verified", async () => {
        const email = uniqueEmail("verify-tamper");
        await caller().call("/sign-up/email", { body: { email, password: PASSWORD, name: "Ta" } });
        const link = new URL(onlyLink(await smtp().waitForMail(email)));
        const token = link.searchParams.get("token") ?? "";
        link.searchParams.set("token", `${token.slice(0, -4)}AAAA`);
        const browser = caller();
        const response = await follow(browser, link.href);
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toMatch(/error=INVALID_TOKEN/);
        expect((await userRow(email))?.emailVerified).toBe(false);
        expect(await (await browser.call("/get-session")).json()).toBeNull();
      });
    });

    describe("email change", () => {
      it("mails the new address first; the address changes only when that link is followed", async () => {
        const email = uniqueEmail("change-old");
        const newEmail = uniqueEmail("change-new");
        const user = await verifiedUser(email);
        const response = await user.call("/change-email", { body: { newEmail, callbackURL: "/account" } });
        expect(response.status).toBe(200);
        const mail = await smtp().waitForMail(newEmail);
        expect(mail.subject).toContain("Confirm your new email address");
        expect((await userRow(email))?.email).toBe(email.toLowerCase());
        const link = new URL(onlyLink(mail));
        expect(link.origin).toBe(BASE);
        expect(link.searchParams.get("callbackURL")).toBe("/account");

        const confirmed = await follow(user, link.href);
        expect(confirmed.status).toBe(302);
        expect(confirmed.headers.get("location")).toBe("/account");
        expect(await userRow(email)).toBeUndefined();
        expect(await userRow(newEmail)).toMatchObject({ email: newEmail, emailVerified: true });
        expect((await signIn(newEmail)).response.status).toBe(200);
        expect((await signIn(email)).response.status).toBe(401);
        const { mailSettled } = await import("@/lib/mail");
        await mailSettled();
        expect(
          smtp()
            .messages()
            .filter((m) => m.to.includes(email)).length,
        ).toBe(1); // only its verification
      });

      it("answers a change to a taken address like any other, and mails nobody", async () => {
        const taken = uniqueEmail("change-taken");
        await verifiedUser(taken);
        const email = uniqueEmail("change-mine");
        const user = await verifiedUser(email);
        const response = await user.call("/change-email", { body: { newEmail: taken } });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: true });
        const { mailSettled } = await import("@/lib/mail");
        await mailSettled();
        expect(
          smtp()
            .messages()
            .filter((m) => m.to.includes(taken)).length,
        ).toBe(1);
      });
    });

    describe("password rule", () => {
      const cases: ReadonlyArray<[name: string, password: (email: string) => string, code: string, says: RegExp]> = [
        ["a common password", () => "password123", "PASSWORD_TOO_WEAK", /commonly used password/],
        ["a keyboard walk", () => "qwertyuiop", "PASSWORD_TOO_WEAK", /too weak/],
        ["the user's own email", (email) => email, "PASSWORD_CONTAINS_EMAIL", /email address/],
        ["too short", () => "a1-b2", "PASSWORD_TOO_SHORT", /at least 8 characters/],
        ["too long", () => "correct-horse-".repeat(10), "PASSWORD_TOO_LONG", /at most 128 characters/],
      ];
      it.each(cases)("refuses %s at sign-up, says why, and creates nothing", async (_, password, code, says) => {
        const email = uniqueEmail("rule");
        const response = await caller().call("/sign-up/email", {
          body: { email, password: password(email), name: "Rule" },
        });
        expect(response.status).toBe(400);
        const body = (await response.json()) as Json;
        expect(body.code).toBe(code);
        expect(body.message).toMatch(says);
        expect(await userRow(email)).toBeUndefined();
      });

      it("applies on change-password too", async () => {
        const email = uniqueEmail("rule-change");
        const user = await verifiedUser(email);
        const weak = await user.call("/change-password", {
          body: { currentPassword: PASSWORD, newPassword: "password123", revokeOtherSessions: true },
        });
        expect(weak.status).toBe(400);
        expect(((await weak.json()) as Json).code).toBe("PASSWORD_TOO_WEAK");
        const good = await user.call("/change-password", {
          body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true },
        });
        expect(good.status).toBe(200);
        expect((await signIn(email, NEW_PASSWORD)).response.status).toBe(200);
      });
    });
  });
}
