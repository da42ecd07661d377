/**
 * The variables the edge reads, declared once (name, type, default,
 * description, parser). `lib/edge/config.ts` turns them into `EdgeConfig`;
 * `lib/config/catalog.ts` lists them with the server's for the docs.
 */
import type { JSONWebKeySet } from "jose";
import { parsePublicJwks } from "./public-jwks";
import { defineVariable, integerVariable } from "./variable";

/** `BETTER_AUTH_URL`: the public origin, or `undefined` for `http://localhost:$PORT`. */
export const BETTER_AUTH_URL = defineVariable(
  {
    name: "BETTER_AUTH_URL",
    group: "core",
    type: "URL (https in production)",
    default: "http://localhost:$PORT",
    description:
      "Public origin: issuer and audience of every JWT, and where the edge fetches the JWKS (never taken from the request's Host)",
    notes: ["Production: your https origin, e.g. https://app.example.com; http:// only on a loopback host."],
  },
  (value, fail): URL | undefined => {
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value); // not URL.canParse: older edge runtimes lack it
    } catch {
      return fail("is not a URL: set it to the app's origin, e.g. https://app.example.com");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return fail("must start with http:// or https://");
    return url;
  },
);

/** `PORT`: where `next dev` / `next start` listen; part of the default base URL. */
export const PORT = integerVariable({
  name: "PORT",
  group: "core",
  min: 1,
  max: 65535,
  default: 3000,
  description: "Port of `npm run dev` / `npm start` (and of the default `BETTER_AUTH_URL`)",
});

/** `AUTH_JWT_TTL`: access-JWT lifetime in seconds. */
export const AUTH_JWT_TTL = integerVariable({
  name: "AUTH_JWT_TTL",
  group: "tokens",
  unit: "seconds",
  min: 10,
  max: 3600,
  default: 300,
  description: "Access-JWT lifetime; also the oldest token age the verifiers accept",
});

/** `AUTH_JWKS`: public keys for a networkless cold start. */
export const AUTH_JWKS = defineVariable(
  {
    name: "AUTH_JWKS",
    group: "tokens",
    type: "JSON: public Ed25519 JWK set",
    default: "unset: fetch /api/auth/jwks",
    description:
      "The public key set (`npm run -s keys:export`, or the body of `GET /api/auth/jwks`), so cold edge isolates verify with no fetch",
    notes: [
      'Never a private key: a set with a private member such as "d" is refused.',
      "Set: a token whose kid is not in it still consults /api/auth/jwks (once per rotation); re-export it after each rotation and prune.",
    ],
  },
  (value, fail): JSONWebKeySet | undefined => (value === undefined ? undefined : parsePublicJwks(value, fail)),
);

/** `AUTH_REVOCATION_INTERVAL`: how fresh the edge keeps the revocation feed. */
export const AUTH_REVOCATION_INTERVAL = integerVariable({
  name: "AUTH_REVOCATION_INTERVAL",
  group: "tokens",
  unit: "seconds",
  min: 1,
  max: 300,
  default: 10,
  description: "Within this time a revoked session's outstanding access JWTs are refused at the edge",
});

/** `NODE_ENV`: set by Next (`production` under `next build` and `next start`). */
export const NODE_ENV = defineVariable(
  {
    name: "NODE_ENV",
    group: "platform",
    type: "development | production | test",
    default: "set by Next",
    description:
      "`production` (`next build`, `next start`) turns on the production checks: the start stops on a bad value",
  },
  (value): "development" | "production" | "test" =>
    value === "production" ? "production" : value === "test" ? "test" : "development",
);
