/**
 * Builds a temporary copy of the app with a different middleware file, for
 * tests and the benchmark that compare builds of the same code.
 *
 * The copy holds the working tree's tracked and untracked-but-not-ignored
 * files (or one commit's, with `revision`) except `tests/`, which is not part
 * of the app, under a fresh folder in the OS temp dir.
 * `node_modules` is hard-linked, not symlinked: Turbopack refuses a
 * `node_modules` symlink that points outside the project root ("Could not find
 * the Next.js package"). Hard links take a fraction of a second on one
 * filesystem (`next build` only adds files there, never rewrites one); across
 * filesystems the folder is copied instead.
 */
import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./next-server";

const run = promisify(execFile);

/**
 * How the copy runs middleware:
 * - `as-is`: `middleware.ts` unchanged (Edge runtime).
 * - `proxy`: the same code as `proxy.ts` exporting `proxy` (Node runtime in Next 16).
 * - `empty`: `middleware.ts` replaced by a `NextResponse.next()` pass-through on the same matcher.
 * - `none`: no middleware file at all.
 * - `ba-session`: no guard; Better Auth's documented Next 16 `proxy.ts`
 *   (`auth.api.getSession` on every request: one database query each).
 * - `ba-cookie-cache`: the same `proxy.ts` with `session.cookieCache` on in
 *   `lib/auth.ts` (the session read from a signed cookie while it is fresh).
 */
export type MiddlewareVariant = "as-is" | "proxy" | "empty" | "none" | "ba-session" | "ba-cookie-cache";

export interface AppCopyOptions {
  /** Which middleware the copy gets. Default `as-is`. */
  middleware?: MiddlewareVariant;
  /** A git revision to copy (`git archive`), e.g. `HEAD`. Default: the working tree as it is now. */
  revision?: string;
  /**
   * Options merged over `authOptions` in the copy's `lib/auth.ts`, as a
   * TypeScript expression, e.g. `{ rateLimit: { enabled: false } }` (the load
   * run). Default: none.
   */
  authOverrides?: string;
  /** Run `next build` in the copy. Default true. */
  build?: boolean;
}

/** A built copy of the app; pass `dir` as `cwd` to `startNext`. */
export interface AppCopy {
  readonly dir: string;
  readonly variant: MiddlewareVariant;
  /** Deletes the copy (also done at process exit if forgotten). */
  remove(): Promise<void>;
}

const live = new Set<string>();
process.once("exit", () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

/** The `export const config = {…};` block of a middleware file, verbatim (Next reads it statically). */
function configBlock(source: string): string {
  const match = /^export const config\s*=\s*\{[\s\S]*?^\};?$/m.exec(source);
  if (!match) throw new Error("app-copy: middleware.ts has no `export const config = {…};` block to reuse");
  return match[0];
}

/** `middleware.ts` rewritten for Next 16's `proxy.ts`: `proxy` export, no `runtime` (proxy is Node only). */
export function toProxySource(source: string): string {
  const renamed = source.replace(/export (async )?function middleware\b/, "export $1function proxy");
  if (renamed === source) throw new Error("app-copy: no `export function middleware` found in middleware.ts");
  return renamed.replace(/^\s*runtime:\s*["'][^"']*["'],?\s*$/m, "");
}

/** An empty pass-through middleware on the same matcher as `source`. */
export function toEmptySource(source: string): string {
  return [
    'import { NextResponse } from "next/server";',
    "",
    "export function middleware() {",
    "  return NextResponse.next();",
    "}",
    "",
    configBlock(source),
    "",
  ].join("\n");
}

/** Better Auth's Next 16 pattern (better-auth.com/docs/integrations/next), guarding what the kit's guard guards. */
export function betterAuthProxySource(): string {
  return [
    'import { headers } from "next/headers";',
    'import { type NextRequest, NextResponse } from "next/server";',
    'import { auth } from "@/lib/auth";',
    "",
    "export async function proxy(request: NextRequest) {",
    "  const session = await auth.api.getSession({ headers: await headers() });",
    '  if (!session) return NextResponse.redirect(new URL("/sign-in", request.url));',
    "  return NextResponse.next();",
    "}",
    "",
    'export const config = { matcher: ["/dashboard/:path*", "/admin/:path*", "/api/me"] };',
    "",
  ].join("\n");
}

/** How long the cookie-cache variant trusts its session cookie (seconds): as long as the bench's JWTs live. */
export const COOKIE_CACHE_SECONDS = 3600;

/** Rewrites `betterAuth(authOptions)` in the copy as `betterAuth({ ...authOptions, ...overrides })`. */
async function overrideAuthOptions(dir: string, overrides: string): Promise<void> {
  const file = path.join(dir, "lib/auth.ts");
  const source = await readFile(file, "utf8");
  const anchor = "betterAuth(authOptions)";
  if (!source.includes(anchor)) throw new Error("app-copy: lib/auth.ts has no `betterAuth(authOptions)`");
  await writeFile(file, source.replace(anchor, `betterAuth({ ...authOptions, ...(${overrides}) })`));
}

/** `session.cookieCache` on, over whatever session options the app has (so the copy type-checks whatever they are). */
const COOKIE_CACHE = `{ session: { ...(authOptions as { session?: object }).session, cookieCache: { enabled: true, maxAge: ${COOKIE_CACHE_SECONDS} } } }`;

async function copyWorkingTree(dir: string): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split("\0")) {
    const from = path.join(ROOT, file);
    if (!file || !existsSync(from)) continue; // deleted in the working tree, not yet committed
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await cp(from, path.join(dir, file));
  }
}

async function copyTree(dir: string, revision: string | undefined): Promise<void> {
  if (revision === undefined) await copyWorkingTree(dir);
  else {
    const { stdout } = await run("git", ["rev-parse", "--verify", `${revision}^{commit}`], { cwd: ROOT });
    await run("sh", ["-c", 'git archive --format=tar "$1" | tar -x -C "$2"', "sh", stdout.trim(), dir], { cwd: ROOT });
  }
  for (const skipped of ["tests", "node_modules", ".next", ".data"]) {
    await rm(path.join(dir, skipped), { recursive: true, force: true });
  }
  try {
    await run("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  } catch {
    await cp(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
}

async function applyVariant(dir: string, variant: MiddlewareVariant): Promise<void> {
  const file = path.join(dir, "middleware.ts");
  const source = await readFile(file, "utf8");
  if (variant === "as-is") return;
  await rm(file);
  if (variant === "proxy") await writeFile(path.join(dir, "proxy.ts"), toProxySource(source));
  if (variant === "empty") await writeFile(file, toEmptySource(source));
  if (variant === "ba-session" || variant === "ba-cookie-cache")
    await writeFile(path.join(dir, "proxy.ts"), betterAuthProxySource());
  if (variant === "ba-cookie-cache") await overrideAuthOptions(dir, COOKIE_CACHE);
}

async function nextBuild(dir: string): Promise<void> {
  try {
    await run(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`app-copy: next build failed in ${dir}\n${stdout}\n${stderr}`);
  }
}

/**
 * Copies the app into a temp folder, swaps its middleware, and builds it.
 *
 * @example
 * const copy = await buildAppCopy({ middleware: "proxy" });
 * const server = await startNext({ cwd: copy.dir });
 * // …
 * await server.stop();
 * await copy.remove();
 */
export async function buildAppCopy(options: AppCopyOptions = {}): Promise<AppCopy> {
  const variant = options.middleware ?? "as-is";
  const dir = await mkdtemp(path.join(os.tmpdir(), `eg-app-${variant}-`));
  live.add(dir);
  const remove = async () => {
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await copyTree(dir, options.revision);
    await applyVariant(dir, variant);
    if (options.authOverrides) await overrideAuthOptions(dir, options.authOverrides);
    if (options.build ?? true) await nextBuild(dir);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, variant, remove };
}
