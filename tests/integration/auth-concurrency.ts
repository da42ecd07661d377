/**
 * Data integrity under concurrency, through the real route handlers: many
 * sign-ups at once land exactly once each, a race for one email leaves one
 * user and clear 4xx answers, and concurrent refreshes of one session all
 * succeed. Meant for a real server with a connection pool (PostgreSQL).
 */
import { describe, expect, it } from "vitest";
import { authCaller, BASE } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import type { AuthApp } from "./auth-flows";

const PASSWORD = "correct-horse-1";

/** `{ "200": 1, "422": 19 }`, for readable failures. */
function histogram(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Registers the concurrency checks; `app()` is valid from the first test on. */
export function describeConcurrency(app: () => AuthApp): void {
  const signUp = (email: string) =>
    authCaller(app().handler).call("/sign-up/email", { body: { email, password: PASSWORD, name: "Racer" } });
  const rowsFor = async (email: string) => {
    const { db } = app();
    const users = await db.selectFrom("user").select("id").where("email", "=", email).execute();
    const accounts = await db
      .selectFrom("account")
      .innerJoin("user", "user.id", "account.userId")
      .select("account.id")
      .where("user.email", "=", email)
      .execute();
    return { users: users.length, accounts: accounts.length };
  };

  describe("under concurrency", () => {
    it("lands 50 concurrent sign-ups of distinct emails exactly once each", async () => {
      const emails = Array.from({ length: 50 }, (_, i) => uniqueEmail(`burst${i}`));
      const responses = await Promise.all(emails.map(signUp));
      expect(histogram(responses.map((r) => r.status))).toEqual({ 200: 50 });
      for (const email of emails) expect(await rowsFor(email)).toEqual({ users: 1, accounts: 1 });
    });

    it("creates one user from 20 concurrent sign-ups of the same email and answers the rest with a clear 4xx", async () => {
      const email = uniqueEmail("race");
      const responses = await Promise.all(Array.from({ length: 20 }, () => signUp(email)));
      const statuses = responses.map((r) => r.status);
      console.info(`[tests] 20 sign-ups of one email: ${JSON.stringify(histogram(statuses))}`);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect([409, 422, 429]).toContain(response.status);
        const body = (await response.json()) as { code?: string };
        if (response.status !== 429) expect(body.code).toBe("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
      }
      expect(await rowsFor(email)).toEqual({ users: 1, accounts: 1 });
    });

    it("serves 20 concurrent refreshes and 20 concurrent token requests of one session", async () => {
      const user = authCaller(app().handler);
      await user.call("/sign-up/email", { body: { email: uniqueEmail("refresh"), password: PASSWORD, name: "Re" } });
      const sessionOnly = [...user.jar.cookies].filter(([name]) => name.includes("session_token"));
      expect(sessionOnly).toHaveLength(1);
      const cookie = sessionOnly.map(([name, value]) => `${name}=${value}`).join("; ");
      const refresh = (method: "GET" | "POST") =>
        app().refresh[method](
          new Request(`${BASE}/api/auth/refresh?next=/dashboard`, { method, headers: { cookie, origin: BASE } }),
        );
      const posts = await Promise.all(Array.from({ length: 20 }, () => refresh("POST")));
      expect(histogram(posts.map((r) => r.status))).toEqual({ 200: 20 });
      for (const post of posts)
        expect(Date.parse(((await post.json()) as { expiresAt: string }).expiresAt)).toBeGreaterThan(0);
      const gets = await Promise.all(Array.from({ length: 20 }, () => refresh("GET")));
      expect(histogram(gets.map((r) => r.status))).toEqual({ 303: 20 });
      const tokens = await Promise.all(Array.from({ length: 20 }, () => user.call("/token")));
      expect(histogram(tokens.map((r) => r.status))).toEqual({ 200: 20 });
    });
  });
}
