/**
 * The client's half of SCRAM-SHA-256 (RFC 5802, RFC 7677), Postgres's default
 * password authentication (Node only).
 *
 * The Neon driver derives the salted password with 4,096 `await`ed WebCrypto
 * HMACs in a row: harmless on an idle process, but each `await` waits its
 * turn behind every other task, so on a saturated server one new connection
 * took longer than the 5 s connect timeout (the 503s of the load test). Here
 * the derivation is one PBKDF2 call on the thread pool, remembered per
 * password, salt and iteration count (a role's salt only changes with its
 * password), so a pool reopening connections pays it once.
 *
 * Hosted Neon never gets here: its proxy takes the password in the pipelined
 * startup. A Postgres reached through the kit's bridge (`neon-bridge.ts`) does.
 */
import { createHash, createHmac, pbkdf2 } from "node:crypto";
import { promisify } from "node:util";

const derive = promisify(pbkdf2);

/** What node-postgres keeps between the SCRAM messages (`client.saslSession`). */
export interface ScramSession {
  message: string;
  clientNonce: string;
  response: string;
  serverSignature?: string;
}

const PRINTABLE = /^[!-+--~]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ITERATIONS = /^[1-9][0-9]*$/;
/** Salted passwords already derived; a handful of roles at most per process. */
const salted = new Map<string, Promise<Buffer>>();
const SALTED_ENTRIES = 16;

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}

function saltedPassword(password: string, salt: string, iterations: number): Promise<Buffer> {
  const key = `${iterations}:${salt}:${password}`;
  let known = salted.get(key);
  if (!known) {
    if (salted.size >= SALTED_ENTRIES) salted.delete(salted.keys().next().value ?? "");
    known = derive(password, Buffer.from(salt, "base64"), iterations, 32, "sha256");
    known.catch(() => salted.delete(key));
    salted.set(key, known);
  }
  return known;
}

/** The server-first message's attributes, checked as the driver checks them. */
function parseServerFirst(
  session: ScramSession,
  serverFirst: string,
): { nonce: string; salt: string; iterations: number } {
  const attributes = new Map(serverFirst.split(",").map((pair) => [pair.slice(0, 1), pair.slice(2)] as const));
  const nonce = attributes.get("r") ?? "";
  const salt = attributes.get("s") ?? "";
  const iterations = attributes.get("i") ?? "";
  if (!PRINTABLE.test(nonce)) throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce missing/unprintable");
  if (!salt || !BASE64.test(salt)) throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: salt missing/not base64");
  if (!ITERATIONS.test(iterations))
    throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: missing/invalid iteration count");
  if (!nonce.startsWith(session.clientNonce) || nonce.length === session.clientNonce.length) {
    throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce does not extend the client nonce");
  }
  return { nonce, salt, iterations: Number(iterations) };
}

/**
 * Answers the server-first message: sets `session.response` (the
 * client-final message) and `session.serverSignature` (checked against the
 * server-final message by the driver), as node-postgres's `continueSession` does.
 */
export async function continueScramSession(
  session: ScramSession,
  password: string,
  serverFirst: string,
): Promise<void> {
  if (session.message !== "SASLInitialResponse") throw new Error("SASL: Last message was not SASLInitialResponse");
  const { nonce, salt, iterations } = parseServerFirst(session, serverFirst);
  const key = await saltedPassword(password, salt, iterations);
  const clientFinalWithoutProof = `c=biws,r=${nonce}`;
  const authMessage = `n=*,r=${session.clientNonce},${serverFirst},${clientFinalWithoutProof}`;
  const clientKey = hmac(key, "Client Key");
  const storedKey = createHash("sha256").update(clientKey).digest();
  const proof = xor(clientKey, hmac(storedKey, authMessage));
  session.message = "SASLResponse";
  session.serverSignature = hmac(hmac(key, "Server Key"), authMessage).toString("base64");
  session.response = `${clientFinalWithoutProof},p=${proof.toString("base64")}`;
}
