/**
 * Per-request verification cost, three ways on the same token, in one process:
 * (a) raw WebCrypto Ed25519 (the floor), (b) the guard's verifier with a warm
 * remote JWKS and no token cache, (c) a token-cache hit.
 *
 * Every call gets the token as a fresh, flat, never-hashed string (a Buffer
 * round trip per call, made before the timed loop), as a request parser hands
 * it over: a cache hit must hash the whole string, not reuse V8's cached hash.
 * Building those strings is outside the timing for all three alike.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createKeySource } from "../../lib/edge/keys";
import { createVerifier } from "../../lib/edge/verify";
import { AUDIENCE, ISSUER, jwksOf, makeKey, sign } from "../helpers/tokens";
import { median, rotate } from "./stats";

type Op = (token: string) => Promise<boolean>;

export interface VerifyCostOptions {
  /** Timed rounds per variant (interleaved); the median is reported. Default 9. */
  rounds?: number;
  /** Calls per round for the signature-checking variants; the cache hit runs 20× as many. Default 1500. */
  callsPerRound?: number;
}

/** Median microseconds per call. */
export interface VerifyCost {
  readonly rawUs: number;
  /** `crypto.subtle.verify` alone on bytes decoded once (what (a) adds to it is splitting and decoding). */
  readonly rawPredecodedUs: number;
  readonly verifierUs: number;
  readonly cacheHitUs: number;
  readonly tokenLength: number;
}

function freshCopies(token: string, n: number): string[] {
  return Array.from({ length: n }, () => Buffer.from(token).toString("utf8"));
}

async function timeRound(op: Op, tokens: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const token of tokens) if (!(await op(token))) throw new Error("bench: a verification failed");
  return ((performance.now() - started) * 1000) / tokens.length;
}

function serveJwks(body: string): Promise<{ url: URL; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const close = () => new Promise<void>((done) => server.close(() => done()));
      resolve({ url: new URL(`http://127.0.0.1:${port}/api/auth/jwks`), close });
    });
  });
}

/** Runs the three variants and returns median µs per call. */
export async function measureVerifyCost(options: VerifyCostOptions = {}): Promise<VerifyCost> {
  const { rounds = 9, callsPerRound = 1500 } = options;
  const key = await makeKey();
  const token = await sign(key, { claims: { exp: Math.floor(Date.now() / 1000) + 3600 } });
  const jwks = await serveJwks(JSON.stringify(jwksOf(key)));
  try {
    const publicKey = await crypto.subtle.importKey("jwk", key.publicJwk, "Ed25519", false, ["verify"]);
    const encoder = new TextEncoder();
    const raw: Op = (t) => {
      const dot = t.lastIndexOf(".");
      return crypto.subtle.verify(
        "Ed25519",
        publicKey,
        Buffer.from(t.slice(dot + 1), "base64url"),
        encoder.encode(t.slice(0, dot)),
      );
    };
    const dot = token.lastIndexOf(".");
    const signature = Buffer.from(token.slice(dot + 1), "base64url");
    const signingInput = encoder.encode(token.slice(0, dot));
    const rawPredecoded: Op = () => crypto.subtle.verify("Ed25519", publicKey, signature, signingInput);

    const common = { issuer: ISSUER, audience: AUDIENCE, maxTokenAgeSeconds: 3600 };
    const uncached = createVerifier({ ...common, keys: createKeySource({ jwksUrl: jwks.url }), cacheEntries: 0 });
    const cached = createVerifier({ ...common, keys: createKeySource({ jwksUrl: jwks.url }) });
    const verifier: Op = async (t) => (await uncached(t)).ok;
    const cacheHit: Op = async (t) => (await cached(t)).ok;

    const variants = [
      { name: "raw", op: raw, calls: callsPerRound },
      { name: "rawPredecoded", op: rawPredecoded, calls: callsPerRound },
      { name: "verifier", op: verifier, calls: callsPerRound },
      { name: "cacheHit", op: cacheHit, calls: callsPerRound * 20 },
    ] as const;
    // Warm-up: JIT, the JWKS fetch (b), the first verification that fills the cache (c).
    for (const v of variants) await timeRound(v.op, freshCopies(token, Math.ceil(v.calls / 3)));
    const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const v of rotate(variants, round)) {
        const tokens = freshCopies(token, v.calls);
        samples.get(v.name)?.push(await timeRound(v.op, tokens));
      }
    }
    const med = (name: string) => median(samples.get(name) ?? []);
    return {
      rawUs: med("raw"),
      rawPredecodedUs: med("rawPredecoded"),
      verifierUs: med("verifier"),
      cacheHitUs: med("cacheHit"),
      tokenLength: token.length,
    };
  } finally {
    await jwks.close();
  }
}
