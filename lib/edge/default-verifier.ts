/**
 * The process-wide verifier for this app's own tokens, built on first use from
 * the environment and kept at module scope so its JWKS and token caches
 * survive across requests (one per Edge isolate or Node process).
 */
import { edgeConfig } from "./config";
import { createKeySource } from "./keys";
import type { Verifier } from "./verify";
import { createVerifier } from "./verify";

/** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;

let verifier: Verifier | undefined;

/** The shared verifier for access JWTs issued by this app. */
export function defaultVerifier(): Verifier {
  if (!verifier) {
    const config = edgeConfig();
    verifier = createVerifier({
      keys: createKeySource({ jwksUrl: config.jwksUrl, jwks: config.jwks, issuer: config.issuer }),
      issuer: config.issuer,
      audience: config.audience,
      maxTokenAgeSeconds: config.jwtTtlSeconds,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    });
  }
  return verifier;
}
