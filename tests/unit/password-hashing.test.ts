/**
 * Password hashing leaves Node's thread pool room for everything else: a
 * thread-pool job started in the middle of a burst of sign-ins (here a PBKDF2,
 * as a new database connection's SCRAM runs) is not queued behind the hashes.
 */
import { pbkdf2 } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONCURRENT_HASHES, limitedPasswordHashing } from "@/lib/accounts/password-hashing";

describe("limited password hashing", () => {
  it("hashes and verifies with Better Auth's scrypt", async () => {
    const hash = await limitedPasswordHashing.hash("correct-horse-1");
    expect(await limitedPasswordHashing.verify({ hash, password: "correct-horse-1" })).toBe(true);
    expect(await limitedPasswordHashing.verify({ hash, password: "wrong-horse-1" })).toBe(false);
  });

  it("keeps thread-pool threads free during a burst of hashes", async () => {
    expect(CONCURRENT_HASHES).toBeLessThan(4);
    const order: string[] = [];
    const hashes = Array.from({ length: 8 }, (_, i) =>
      limitedPasswordHashing.hash(`burst-password-${i}`).then(() => order.push("hash")),
    );
    // Queued after all eight: without the limit it would wait for a hash to free a thread.
    const other = new Promise<void>((resolve, reject) =>
      pbkdf2("password", "salt", 1, 32, "sha256", (error) => (error ? reject(error) : resolve())),
    ).then(() => order.push("other"));
    await Promise.all([...hashes, other]);
    expect(order[0]).toBe("other");
  });
});
