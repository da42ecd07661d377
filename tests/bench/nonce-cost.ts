/**
 * What a CSP nonce would cost the guard: a short paired A/B on `next start`.
 * (A) the app as is (static CSP from `next.config.ts`, the guard leaves request
 * headers alone on public pages); (N) the same app whose guard makes a nonce
 * per request, forwards it in a `Content-Security-Policy` request header (how
 * Next learns the nonce) and sets the response CSP. Both serve the same dynamic
 * routes, so the difference is the nonce's work in the middleware.
 *
 * `npx tsx tests/bench/nonce-cost.ts` (about 5 minutes here; builds two copies).
 * `npx tsx tests/bench/nonce-cost.ts --micro`: only the nonce's own work in
 * the middleware, in-process (CPU per call; robust on a busy machine).
 */

import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { AppCopy } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";
import type { LoadTarget } from "./http-load";
import { measureLoad } from "./http-load";

const run = promisify(execFile);

/** The guard of copy N: one nonce per request, in the forwarded request headers and the response. */
function withNonce(source: string): string {
  const pass =
    "const pass = () => (stripped ? NextResponse.next({ request: { headers: stripped } }) : NextResponse.next());";
  const authed = "const headers = stripped ?? new Headers(request.headers);";
  if (!source.includes(pass) || !source.includes(authed))
    throw new Error("nonce-cost: guard.ts changed; update the patch");
  const nonce = [
    "const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));",
    `const csp = "default-src 'self'; script-src 'self' 'nonce-" + nonce + "' 'strict-dynamic'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";`,
    "const forwarded = stripped ?? new Headers(request.headers);",
    'forwarded.set("content-security-policy", csp);',
    'const pass = () => { const r = NextResponse.next({ request: { headers: forwarded } }); r.headers.set("Content-Security-Policy", csp); return r; };',
  ].join("\n  ");
  return source.replace(pass, nonce).replace(authed, "const headers = forwarded;");
}

async function nextBuild(dir: string): Promise<void> {
  await run(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}

async function main(): Promise<void> {
  const copies: AppCopy[] = [];
  const servers: NextServer[] = [];
  try {
    process.stderr.write("[nonce] building A (as is)…\n");
    copies.push(await buildAppCopy());
    process.stderr.write("[nonce] building N (nonce per request)…\n");
    const n = await buildAppCopy({ build: false });
    copies.push(n);
    const guardFile = path.join(n.dir, "lib/edge/guard.ts");
    await writeFile(guardFile, withNonce(await readFile(guardFile, "utf8")));
    await nextBuild(n.dir);
    const targets: LoadTarget[] = [];
    for (const [name, copy] of [
      ["A", copies[0]],
      ["N", n],
    ] as const) {
      if (!copy) throw new Error("nonce-cost: copy missing");
      const server = await startNext({ cwd: copy.dir, env: { AUTH_JWT_TTL: "3600" } });
      servers.push(server);
      const { jar } = await signUp(server.url, { email: uniqueEmail("nonce"), password: "correct-horse-1", name: "N" });
      const signedIn = await fetch(`${server.url}/dashboard`, pageRequest(jar.header()));
      if (signedIn.status !== 200) throw new Error(`nonce-cost: /dashboard on ${name} answered ${signedIn.status}`);
      const headers = (cookie?: string) => (pageRequest(cookie).headers ?? {}) as Record<string, string>;
      targets.push({
        name: `${name} /dashboard (signed in)`,
        url: `${server.url}/dashboard`,
        headers: headers(jar.header()),
        expect: "2xx",
        serverDir: copy.dir,
      });
      targets.push({
        name: `${name} /sign-in (public)`,
        url: `${server.url}/sign-in`,
        headers: headers(),
        expect: "2xx",
        serverDir: copy.dir,
      });
    }
    const results = await measureLoad(targets, { rounds: 5, durationSec: 3, warmupSec: 3 });
    for (const page of ["/dashboard (signed in)", "/sign-in (public)"]) {
      const a = results.get(`A ${page}`);
      const nn = results.get(`N ${page}`);
      if (!a || !nn) continue;
      console.log(
        `${page}: A ${a.rps.toFixed(0)} req/s (${a.perCpu.toFixed(0)} req/CPU-s), N ${nn.rps.toFixed(0)} req/s (${nn.perCpu.toFixed(0)} req/CPU-s); N/A = ${(nn.rps / a.rps).toFixed(3)} wall, ${(nn.perCpu / a.perCpu).toFixed(3)} per CPU; unexpected A ${a.unexpected}, N ${nn.unexpected}`,
      );
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const c of copies) await c.remove();
  }
}

const BROWSER_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en-US,en;q=0.9",
  cookie: `eg.access=${"x".repeat(420)}; better-auth.session_token=${"y".repeat(90)}`,
  "sec-fetch-dest": "document",
  "sec-fetch-mode": "navigate",
  "sec-fetch-site": "same-origin",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
};

/** Microseconds of CPU per call of `op`, median of interleaved rounds. */
async function microCost(): Promise<void> {
  const { NextRequest, NextResponse } = await import("next/server");
  const request = new NextRequest("http://127.0.0.1:3000/sign-in", { headers: BROWSER_HEADERS });
  const plain = () => NextResponse.next();
  const nonce = () => {
    const value = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const csp = `script-src 'self' 'nonce-${value}' 'strict-dynamic'`;
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    const response = NextResponse.next({ request: { headers } });
    response.headers.set("Content-Security-Policy", csp);
    return response;
  };
  const ops = { "pass-through (no nonce)": plain, "nonce + request-header override": nonce };
  const samples = new Map<string, number[]>(Object.keys(ops).map((k) => [k, []]));
  const calls = 20_000;
  for (let round = 0; round < 9; round++) {
    for (const [name, op] of Object.entries(ops)) {
      const before = process.cpuUsage();
      for (let i = 0; i < calls; i++) op();
      const used = process.cpuUsage(before);
      samples.get(name)?.push((used.user + used.system) / calls);
    }
  }
  for (const [name, list] of samples) {
    const sorted = [...list].sort((x, y) => x - y);
    console.log(`${name}: ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} µs CPU per call`);
  }
}

(process.argv.includes("--micro") ? microCost() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
