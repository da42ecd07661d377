import { describe, expect, it } from "vitest";
import { ConfigError, readEdgeConfig } from "@/lib/edge/config";
import { PUBLIC_JWKS } from "../helpers/bad-config";

const publicKey = JSON.parse(PUBLIC_JWKS).keys[0];
const PRIVATE_SET = JSON.stringify({ keys: [{ ...publicKey, d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A" }] });
const ES256_SET = JSON.stringify({
  keys: [
    {
      kty: "EC",
      crv: "P-256",
      x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    },
  ],
});

describe("edge configuration", () => {
  it("defaults to http://localhost:$PORT with plain cookie names", () => {
    const config = readEdgeConfig({ PORT: "4123" });
    expect(config).toMatchObject({
      baseURL: "http://localhost:4123",
      issuer: "http://localhost:4123",
      audience: "http://localhost:4123",
      jwtTtlSeconds: 300,
      secureCookies: false,
      accessCookie: "eg.access",
    });
    expect(config.jwksUrl.href).toBe("http://localhost:4123/api/auth/jwks");
  });

  it("uses Secure __Host- cookies on https and never takes the JWKS URL from elsewhere", () => {
    const config = readEdgeConfig({ BETTER_AUTH_URL: "https://app.example.com/some/path" });
    expect(config.baseURL).toBe("https://app.example.com");
    expect(config.accessCookie).toBe("__Host-eg.access");
    expect(config.jwksUrl.href).toBe("https://app.example.com/api/auth/jwks");
  });

  it("accepts a public Ed25519 set, and plain http on loopback in production", () => {
    const config = readEdgeConfig({
      NODE_ENV: "production",
      BETTER_AUTH_URL: "http://127.0.0.1:8080",
      AUTH_JWKS: PUBLIC_JWKS,
    });
    expect(config.jwks?.keys).toHaveLength(1);
    expect(config).toMatchObject({ baseURL: "http://127.0.0.1:8080", revocationIntervalSeconds: 10 });
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ["a base URL that is not a URL", { BETTER_AUTH_URL: "app.example.com" }, /BETTER_AUTH_URL/],
    ["a base URL with another scheme", { BETTER_AUTH_URL: "ftp://app.example.com" }, /BETTER_AUTH_URL/],
    ["a TTL out of range", { AUTH_JWT_TTL: "5" }, /AUTH_JWT_TTL/],
    ["a TTL that is not a number", { AUTH_JWT_TTL: "5m" }, /AUTH_JWT_TTL/],
    ["AUTH_JWKS that is not JSON", { AUTH_JWKS: "{keys" }, /AUTH_JWKS/],
    ["AUTH_JWKS without keys", { AUTH_JWKS: "{}" }, /AUTH_JWKS/],
    ["AUTH_JWKS with a private member", { AUTH_JWKS: PRIVATE_SET }, /^AUTH_JWKS key 1 carries the private member "d"/],
    ["AUTH_JWKS with another algorithm", { AUTH_JWKS: ES256_SET }, /^AUTH_JWKS key 1 is not a public Ed25519 key/],
    ["a revocation interval out of range", { AUTH_REVOCATION_INTERVAL: "301" }, /^AUTH_REVOCATION_INTERVAL/],
    [
      "plain http on a public host in production",
      { NODE_ENV: "production", BETTER_AUTH_URL: "http://a.example" },
      /^BETTER_AUTH_URL must be https:\/\//,
    ],
  ];
  it.each(bad)("refuses %s with a one-line message naming the variable", (_name, env, message) => {
    expect(() => readEdgeConfig(env)).toThrow(ConfigError);
    expect(() => readEdgeConfig(env)).toThrow(message);
  });
});
