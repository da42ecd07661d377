/**
 * The builds of one commit that the HTTP benchmark compares, each started
 * with `next start` and signed up once: (A) as is; (C) middleware replaced by
 * an empty pass-through on the same matcher; (B) no middleware at all; and on
 * request (P) the guard as Next 16's `proxy.ts` on Node and (D) a second
 * empty build, the control for C.
 */
import type { AppCopy, MiddlewareVariant } from "../helpers/app-copy";
import { buildAppCopy } from "../helpers/app-copy";
import { pageRequest, signUp, uniqueEmail } from "../helpers/http";
import type { NextServer } from "../helpers/next-server";
import { startNext } from "../helpers/next-server";

export type VariantName = "A" | "B" | "C" | "D" | "P";

export const VARIANTS: Readonly<Record<VariantName, MiddlewareVariant>> = {
  A: "as-is",
  B: "none",
  C: "empty",
  D: "empty",
  P: "proxy",
};

/** A built copy, and once started its server and a signed-up user's cookies. */
export interface RunningVariant {
  readonly name: VariantName;
  readonly copy: AppCopy;
  server?: NextServer;
  cookie?: string;
}

/** Builds the copies one after another (2 cores: parallel builds only thrash). */
export async function buildVariants(
  revision: string,
  names: readonly VariantName[],
  log: (line: string) => void,
): Promise<RunningVariant[]> {
  const built: RunningVariant[] = [];
  try {
    for (const name of names) {
      log(`[bench] next build (${name}: middleware ${VARIANTS[name]})…`);
      built.push({ name, copy: await buildAppCopy({ middleware: VARIANTS[name], revision }) });
    }
  } catch (error) {
    await disposeVariants(built);
    throw error;
  }
  return built;
}

/** Starts a variant's server, signs up, and checks it answers as the benchmark assumes. */
export async function startVariant(variant: RunningVariant): Promise<void> {
  // Tokens must outlive the run: 1 hour (the maximum) instead of the default 5 minutes.
  variant.server = await startNext({ cwd: variant.copy.dir, env: { AUTH_JWT_TTL: "3600" } });
  const email = uniqueEmail(`bench-${variant.name.toLowerCase()}`);
  const { response, jar } = await signUp(variant.server.url, { email, password: "correct-horse-1", name: "Bench" });
  if (response.status !== 200) throw new Error(`bench: sign-up on ${variant.name} answered ${response.status}`);
  variant.cookie = jar.header();
  const page = await fetch(`${variant.server.url}/dashboard`, pageRequest(variant.cookie));
  if (page.status !== 200 || !(await page.text()).includes(email)) {
    throw new Error(`bench: /dashboard on ${variant.name} answered ${page.status} without the user's email`);
  }
  const anonymous = await fetch(`${variant.server.url}/dashboard`, pageRequest());
  if (anonymous.status !== 307)
    throw new Error(`bench: anonymous /dashboard on ${variant.name} answered ${anonymous.status}`);
}

/** Stops every server and deletes every copy. */
export async function disposeVariants(variants: readonly RunningVariant[]): Promise<void> {
  for (const v of variants) await v.server?.stop();
  for (const v of variants) await v.copy.remove();
}
