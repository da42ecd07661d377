/**
 * HTTP helpers for the admin tests: calls to Better Auth's endpoints with a
 * cookie jar, sign-in, and Server Action ids read from a rendered page.
 */
import { CookieJar } from "./http";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a request again after a `429` (Better Auth's sign-in/sign-up limit,
 * 3 per 10 s per client in production): these tests are about admin
 * decisions, not the limiter, and must not depend on its numbers.
 */
export async function retryOn429(send: () => Promise<Response>, deadlineMs = 90_000): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const response = await send();
    if (response.status !== 429 || Date.now() > deadline) return response;
    const wait = Number(response.headers.get("retry-after") ?? response.headers.get("x-retry-after")) || 2;
    await response.body?.cancel();
    await sleep(Math.min(wait, 15) * 1000 + 100);
  }
}

/** A JSON call to `/api/auth/<path>` as the jar's holder (or anonymously); stores cookies it gets. */
export async function authCall(
  base: string,
  path: string,
  options: { jar?: CookieJar; body?: unknown; method?: "GET" | "POST"; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const response = await retryOn429(() =>
    fetch(`${base}/api/auth/${path}`, {
      method,
      headers: {
        origin: base,
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.jar ? { cookie: options.jar.header() } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    }),
  );
  options.jar?.store(response);
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown> | null;
  } catch {}
  return { status: response.status, json };
}

/** Signs in through Better Auth; returns the status and a jar with the new cookies. */
export async function signIn(
  base: string,
  email: string,
  password: string,
): Promise<{ status: number; jar: CookieJar; code: unknown }> {
  const jar = new CookieJar();
  const { status, json } = await authCall(base, "sign-in/email", { jar, body: { email, password } });
  return { status, jar, code: json?.code };
}

/** Signs up through Better Auth; returns the new user's id and a jar with its cookies. */
export async function signUpUser(
  base: string,
  user: { email: string; password: string; name: string },
): Promise<{ status: number; id: string; jar: CookieJar }> {
  const jar = new CookieJar();
  const { status, json } = await authCall(base, "sign-up/email", { jar, body: user });
  return { status, id: String((json?.user as { id?: string } | undefined)?.id ?? ""), jar };
}

/** `/api/me` with the jar's cookies: the status and, if 200, the role. */
export async function me(base: string, jar: CookieJar): Promise<{ status: number; role?: string }> {
  const response = await fetch(`${base}/api/me`, { headers: { cookie: jar.header() } });
  const body = (await response.json()) as { role?: string };
  return { status: response.status, role: body.role };
}

/**
 * The Server Action ids of a page rendered without client JS: React writes
 * each `<form action={serverAction}>` as a hidden `$ACTION_ID_<id>` field.
 */
export function actionIds(html: string): string[] {
  return [...html.matchAll(/name="\$ACTION_ID_([0-9a-f]+)"/g)].map((m) => m[1] as string);
}

/** The Server Action id of the form whose submit button reads `button` (first such form). */
export function actionIdOf(html: string, button: string): string {
  const form = html.split("<form").find((chunk) => chunk.includes(`>${button}</button>`));
  const id = form ? actionIds(form)[0] : undefined;
  if (!id) throw new Error(`no Server Action form with a "${button}" button on the page`);
  return id;
}

/** Posts a Server Action as a progressive-enhancement form would (no JS). */
export async function postAction(
  url: string,
  actionId: string,
  fields: Record<string, string>,
  cookie: string,
): Promise<Response> {
  const form = new FormData();
  form.set(`$ACTION_ID_${actionId}`, "");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(url, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie, origin: new URL(url).origin, accept: "text/html", "sec-fetch-dest": "document" },
  });
}
