import { describe, expect, it } from "vitest";
import { ConfigError, readEdgeConfig } from "@/lib/edge/config";

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

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ["a base URL that is not a URL", { BETTER_AUTH_URL: "app.example.com" }, /BETTER_AUTH_URL/],
    ["a base URL with another scheme", { BETTER_AUTH_URL: "ftp://app.example.com" }, /BETTER_AUTH_URL/],
    ["a TTL out of range", { AUTH_JWT_TTL: "5" }, /AUTH_JWT_TTL/],
    ["a TTL that is not a number", { AUTH_JWT_TTL: "5m" }, /AUTH_JWT_TTL/],
    ["AUTH_JWKS that is not JSON", { AUTH_JWKS: "{keys" }, /AUTH_JWKS/],
    ["AUTH_JWKS without keys", { AUTH_JWKS: "{}" }, /AUTH_JWKS/],
  ];
  it.each(bad)("refuses %s with a one-line message naming the variable", (_name, env, message) => {
    expect(() => readEdgeConfig(env)).toThrow(ConfigError);
    expect(() => readEdgeConfig(env)).toThrow(message);
  });
});
