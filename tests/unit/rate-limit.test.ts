/**
 * The pieces of the rate limits that need no server: which address Better
 * Auth reads under the kit's options, the per-account key, and the one 429
 * shape both limits answer with.
 */
import { getIP } from "@better-auth/core/utils/ip";
import { describe, expect, it } from "vitest";
import { ipAddressOptions } from "@/lib/http/client-address";
import { ACCOUNT_RULES, accountKey } from "@/lib/rate-limit/account-limit";
import { ADDRESS_RULES, rateLimitOptions } from "@/lib/rate-limit/address-rules";
import { tooManyRequestsBody } from "@/lib/rate-limit/messages";
import { withRateLimitShape } from "@/lib/rate-limit/response";

const ip = (advanced: ReturnType<typeof ipAddressOptions>, headers: Record<string, string>) =>
  getIP(new Headers(headers), { advanced: { ipAddress: advanced } });

describe("client address", () => {
  it("reads only the configured header, never a client's X-Forwarded-For", () => {
    const trusted = ipAddressOptions("x-real-ip");
    expect(ip(trusted, { "x-real-ip": "203.0.113.5", "x-forwarded-for": "198.51.100.1" })).toBe("203.0.113.5");
    expect(ip(trusted, { "x-forwarded-for": "198.51.100.1" })).not.toBe("198.51.100.1");
  });

  it("with no header configured, ignores X-Forwarded-For entirely (Better Auth's default would trust it)", () => {
    const none = ipAddressOptions(undefined);
    const a = ip(none, { "x-forwarded-for": "198.51.100.1" });
    const b = ip(none, { "x-forwarded-for": "198.51.100.2", "x-real-ip": "198.51.100.3" });
    expect(a).toBe(b);
    expect(a).not.toMatch(/^198\.51\.100\./);
    expect(getIP(new Headers({ "x-forwarded-for": "198.51.100.1" }), {})).toBe("198.51.100.1");
  });
});

describe("per-account key", () => {
  it("is the same for any spelling of one email and holds no address in clear", () => {
    const key = accountKey("/sign-in/email", "Ann@Example.com ");
    expect(key).toBe(accountKey("/sign-in/email", "ann@example.com"));
    expect(key).not.toContain("example");
    expect(key).not.toBe(accountKey("/request-password-reset", "ann@example.com"));
  });

  it("covers sign-in, sign-up, password reset and verification mail", () => {
    for (const path of ["/sign-in/email", "/sign-up/email", "/request-password-reset", "/send-verification-email"]) {
      expect(ACCOUNT_RULES[path]).toBeDefined();
    }
    for (const path of ["/sign-in/*", "/sign-up/*", "/request-password-reset", "/send-verification-email"]) {
      expect(ADDRESS_RULES[path]).toBeDefined();
    }
    expect(ADDRESS_RULES["/reset-password"]).toBeDefined();
  });
});

describe("rateLimit options", () => {
  it("stores counters in the database and limits nothing beyond the listed paths", () => {
    const options = rateLimitOptions({ enabled: true });
    expect(options).toMatchObject({ enabled: true, storage: "database" });
    const keys = Object.keys(options.customRules ?? {});
    expect(keys.at(-1)).toBe("/**");
    expect(options.customRules?.["/**"]).toBe(false);
  });
});

describe("429 shape", () => {
  it.each([
    [9, "Try again in 9 seconds."],
    [1, "Try again in 1 second."],
    [840, "Try again in 14 minutes."],
    [61, "Try again in 2 minutes."],
  ])("tells how long to wait (%i s)", (seconds, text) => {
    expect(tooManyRequestsBody("account", seconds).message).toContain(text);
  });

  it("rewrites Better Auth's bare 429 to { code, message } with Retry-After", async () => {
    const bare = new Response(JSON.stringify({ message: "Too many requests. Please try again later." }), {
      status: 429,
      headers: { "Content-Type": "application/json", "X-Retry-After": "7" },
    });
    const shaped = withRateLimitShape(bare);
    expect(shaped.status).toBe(429);
    expect(shaped.headers.get("retry-after")).toBe("7");
    expect(await shaped.json()).toEqual(tooManyRequestsBody("address", 7));
  });

  it("leaves other answers, and a 429 that already has Retry-After, alone", () => {
    const ok = new Response("{}", { status: 200 });
    expect(withRateLimitShape(ok)).toBe(ok);
    const account = new Response("{}", { status: 429, headers: { "Retry-After": "60" } });
    expect(withRateLimitShape(account)).toBe(account);
  });
});
