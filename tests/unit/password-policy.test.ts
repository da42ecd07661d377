/**
 * The password rule (`lib/accounts/password-policy.ts`), with the real
 * zxcvbn-ts estimator and its English and common dictionaries.
 */
import { describe, expect, it } from "vitest";
import { checkPassword } from "@/lib/accounts/password-policy";

const user = { minLength: 8, email: "ann.lee@example.com", name: "Ann Lee" };

describe("checkPassword", () => {
  const refused: ReadonlyArray<[password: string, code: string, says: RegExp]> = [
    ["password123", "PASSWORD_TOO_WEAK", /commonly used password/],
    ["Passw0rd!", "PASSWORD_TOO_WEAK", /similar to a commonly used password/],
    ["qwertyuiop", "PASSWORD_TOO_WEAK", /too weak/],
    ["aaaaaaaaaaaa", "PASSWORD_TOO_WEAK", /too weak/],
    ["ann.lee@example.com", "PASSWORD_CONTAINS_EMAIL", /email address/],
    ["ANN.LEE@EXAMPLE.COM-2", "PASSWORD_CONTAINS_EMAIL", /email address/],
    ["annlee1990", "PASSWORD_TOO_WEAK", /too weak/],
    ["seven77", "PASSWORD_TOO_SHORT", /at least 8 characters/],
    ["x".repeat(129), "PASSWORD_TOO_LONG", /at most 128 characters/],
  ];
  it.each(refused)("refuses %j with %s and says why", (password, code, says) => {
    const verdict = checkPassword(password, user);
    expect(verdict).toMatchObject({ ok: false, code });
    expect(verdict.ok === false && verdict.message).toMatch(says);
  });

  it.each(["correct-horse-1", "brand-new-pass-2", "zebra-lamp-42", "Tr0ub4dor&3"])("accepts %j", (password) => {
    expect(checkPassword(password, user)).toEqual({ ok: true });
  });

  it("accepts 128 characters and raises the minimum with AUTH_PASSWORD_MIN_LENGTH's value", () => {
    expect(checkPassword(`${"correct-horse-".repeat(8)}battery-staple-9`, user).ok).toBe(true);
    expect(checkPassword("zebra-lamp-42", { ...user, minLength: 14 })).toMatchObject({
      ok: false,
      code: "PASSWORD_TOO_SHORT",
      message: expect.stringContaining("at least 14 characters"),
    });
  });
});
