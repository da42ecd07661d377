/**
 * The whole configuration as `next start` and `next build` read it: every
 * production refusal of the contract table, one line naming the variable.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, readServerConfig } from "@/lib/config";
import { BAD_CONFIGS, PUBLIC_JWKS, STRONG_SECRET, validProductionEnv, withOverrides } from "../helpers/bad-config";

const valid = validProductionEnv(3000);

describe("production configuration", () => {
  it("accepts a valid production environment as is", () => {
    const config = readServerConfig(valid);
    expect(config).toMatchObject({ mode: "production", secret: STRONG_SECRET, baseURL: "http://127.0.0.1:3000" });
    expect(config.jwks).toEqual(JSON.parse(PUBLIC_JWKS));
  });

  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))("refuses %s with one line naming it", (_name, bad) => {
    const read = () => readServerConfig(withOverrides(valid, bad.env));
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const message = (error as Error).message;
      expect(message.startsWith(bad.variable)).toBe(true);
      expect(message).toContain(bad.fix);
      expect(message).not.toContain("\n");
    }
  });

  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))(
    "at build time, %s is refused only when known then",
    (_n, bad) => {
      const read = () => readServerConfig(withOverrides(valid, bad.env), { phase: "build" });
      if (bad.atBuild) expect(read).toThrow(bad.variable);
      else expect(read).not.toThrow();
    },
  );

  it("refuses missing production values at build time on Vercel, whose builds see the runtime variables", () => {
    const vercel = { ...valid, VERCEL: "1", DATABASE_URL: "postgres://u:p@ep-x.neon.tech/db" };
    expect(() =>
      readServerConfig(withOverrides(vercel, { BETTER_AUTH_SECRET: undefined }), { phase: "build" }),
    ).toThrow("BETTER_AUTH_SECRET is missing");
    expect(() => readServerConfig(withOverrides(vercel, { DATABASE_URL: undefined }), { phase: "build" })).toThrow(
      "DATABASE_URL is missing",
    );
    expect(() => readServerConfig(vercel, { phase: "build" })).not.toThrow();
  });

  it("names a value that is set but malformed before one that is missing", () => {
    const noSecret = withOverrides(valid, { BETTER_AUTH_SECRET: undefined });
    expect(() => readServerConfig({ ...noSecret, DATABASE_URL: "mysql://db/app" })).toThrow(
      /^DATABASE_URL is malformed/,
    );
    expect(() => readServerConfig({ ...noSecret, AUTH_JWT_TTL: "0" })).toThrow(/^AUTH_JWT_TTL/);
    expect(() => readServerConfig({ ...noSecret, SMTP_URL: "mail" })).toThrow(/^SMTP_URL/);
    expect(() => readServerConfig(noSecret)).toThrow(/^BETTER_AUTH_SECRET is missing/);
  });

  it("never echoes a database URL, whose password it carries", () => {
    expect(() => readServerConfig({ ...valid, DATABASE_URL: "mysql://app:hunter2@db" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  it("allows plain http on every loopback host in production", () => {
    for (const url of ["http://localhost:3000", "http://127.0.0.2:8080", "http://[::1]:3000", "http://app.localhost"]) {
      expect(readServerConfig({ ...valid, BETTER_AUTH_URL: url }).baseURL).toBe(new URL(url).origin);
    }
  });

  it("reads every variable into its field, with the declared defaults", () => {
    const defaults = readServerConfig(valid);
    expect(defaults).toMatchObject({
      jwtTtlSeconds: 300,
      revocationIntervalSeconds: 10,
      passwordMinLength: 8,
      keyRotationDays: undefined,
      requireEmailVerification: false,
      smtpUrl: undefined,
      trustedIpHeader: undefined,
      adminEmails: [],
      mailFrom: '"edge-guard" <no-reply@127.0.0.1>',
    });
    const set = readServerConfig({
      ...valid,
      AUTH_JWT_TTL: "600",
      AUTH_REVOCATION_INTERVAL: "30",
      AUTH_PASSWORD_MIN_LENGTH: "12",
      AUTH_KEY_ROTATION_DAYS: "90",
      AUTH_REQUIRE_EMAIL_VERIFICATION: "1",
      SMTP_URL: "smtps://u:p@smtp.example.com:465",
      MAIL_FROM: "App <hi@example.com>",
      AUTH_TRUSTED_IP_HEADER: " X-Real-IP ",
      AUTH_ADMIN_EMAILS: "Boss@Example.com, ops@example.com",
      BETTER_AUTH_TRUSTED_ORIGINS: "https://admin.example.com",
      BACKEND_URL: "https://api.example.com/v1",
      DATABASE_URL: "postgresql://u:p@localhost:5432/app",
    });
    expect(set).toMatchObject({
      jwtTtlSeconds: 600,
      revocationIntervalSeconds: 30,
      passwordMinLength: 12,
      keyRotationDays: 90,
      requireEmailVerification: true,
      mailFrom: "App <hi@example.com>",
      trustedIpHeader: "x-real-ip",
      adminEmails: ["boss@example.com", "ops@example.com"],
      databaseUrl: "postgresql://u:p@localhost:5432/app",
    });
    expect(set.smtpUrl?.host).toBe("smtp.example.com:465");
    expect(set.backendUrl?.href).toBe("https://api.example.com/v1");
    expect(set.trustedOrigins).toContain("https://admin.example.com");
    expect(readServerConfig({ ...valid, VERCEL: "1", DATABASE_URL: "postgres://u:p@h/db" }).trustedIpHeader).toBe(
      "x-vercel-forwarded-for",
    );
  });

  const malformed: Array<[string, Record<string, string>, string]> = [
    ["a flag other than 0/1", { AUTH_REQUIRE_EMAIL_VERIFICATION: "yes" }, "AUTH_REQUIRE_EMAIL_VERIFICATION must be 1"],
    ["a password length below 8", { AUTH_PASSWORD_MIN_LENGTH: "6" }, "AUTH_PASSWORD_MIN_LENGTH must be a whole number"],
    ["a rotation of 0 days", { AUTH_KEY_ROTATION_DAYS: "0" }, "AUTH_KEY_ROTATION_DAYS must be a whole number"],
    [
      "two header names",
      { AUTH_TRUSTED_IP_HEADER: "x-real-ip, x-forwarded-for" },
      "AUTH_TRUSTED_IP_HEADER must be one",
    ],
    ["a backend URL with a query", { BACKEND_URL: "https://api.example.com/?k=1" }, "BACKEND_URL must be a plain"],
    ["an admin that is not an email", { AUTH_ADMIN_EMAILS: "boss" }, "AUTH_ADMIN_EMAILS must be comma-separated"],
    ["a port out of range", { PORT: "70000", BETTER_AUTH_URL: "" }, "PORT must be a whole number"],
    ["a revocation interval of 0", { AUTH_REVOCATION_INTERVAL: "0" }, "AUTH_REVOCATION_INTERVAL must be"],
  ];
  it.each(malformed)("refuses %s in any mode", (_name, env, message) => {
    expect(() => readServerConfig({ ...valid, ...env })).toThrow(message);
    expect(() => readServerConfig({ ...valid, NODE_ENV: "test", ...env })).toThrow(message);
  });

  it("treats an empty value (a copied .env.example) as unset", () => {
    expect(readServerConfig({ ...valid, AUTH_JWT_TTL: "", SMTP_URL: "", DATABASE_URL: "" })).toMatchObject({
      jwtTtlSeconds: 300,
      smtpUrl: undefined,
      databaseUrl: undefined,
    });
  });
});
