/**
 * The central API client: the one place that attaches the user's access JWT
 * (`Authorization: Bearer`) to calls to a backend, and the one policy for a
 * refused token: on a 401, refresh the JWT once and retry once; a second 401
 * signs the user out. A refresh that fails for a transient reason (503,
 * network) signs no one out.
 *
 * This file is safe in client components. In the browser use `browserApi`:
 * it calls the same-origin proxy (`/api/backend/*`), which adds the token
 * server-side, since the cookie is HttpOnly and no token ever reaches script.
 * On the server use `serverApi()` from `lib/api-server.ts`.
 */
import { signInPath } from "./edge/next-path";

/** What a refresh achieved. */
export type RefreshOutcome =
  /** A new JWT; `token` is absent when it went into a cookie this side cannot read (the browser). */
  | { readonly kind: "token"; readonly token?: string }
  /** The session is gone: the user must sign in again. */
  | { readonly kind: "signed-out" }
  /** The session store could not be asked: try again later, sign no one out. */
  | { readonly kind: "unavailable" };

export interface ApiClientOptions {
  /** Base URL that request paths are appended to (`BACKEND_URL`, or `/api/backend` in the browser). */
  baseUrl: string | URL;
  /** The current access JWT, or `null` when there is none (then a refresh comes first). Omit when a proxy adds it. */
  getToken?: () => Promise<string | null>;
  /** Gets a fresh JWT after a refusal. Called at most once per call; concurrent calls share one refresh. */
  refresh: () => Promise<RefreshOutcome>;
  /** Signs the user out after a second refusal or a refresh answering `signed-out`. May throw its own error. */
  onSignedOut: () => Promise<void> | void;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Thrown when the user is signed out (401) or sign-in is temporarily unavailable (503). */
export class ApiAuthError extends Error {
  override readonly name = "ApiAuthError";
  constructor(
    readonly status: 401 | 503,
    readonly code: "signed_out" | "auth_unavailable",
  ) {
    super(status === 401 ? "Your session has ended: sign in again." : "Sign-in is unavailable; try again shortly.");
  }
}

/** Calls `path` (with its query) on the backend: `(path, init) => Response`. */
export type ApiClient = (path: string, init?: RequestInit) => Promise<Response>;

/** `path` under `base`, refusing anything that would leave the base (absolute URLs, `//host`). */
export function backendUrl(base: string | URL, path: string): URL {
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) {
    throw new TypeError(`API paths start with a single "/": got ${JSON.stringify(path.slice(0, 40))}`);
  }
  const root = new URL(base, globalThis.location?.origin);
  const url = new URL(`${root.pathname.replace(/\/$/, "")}${path}`, root.origin);
  if (url.origin !== root.origin) throw new TypeError("API paths must stay on the backend's origin");
  return url;
}

/**
 * Builds an API client with the refresh-once, retry-once policy.
 *
 * @example
 * const api = createApiClient({ baseUrl: "https://api.example.com", getToken, refresh, onSignedOut });
 * const notes = await (await api(`/users/${user.id}/notes`)).json();
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, getToken, refresh, onSignedOut } = options;
  // Refreshes are shared: a refused call reuses a refresh that is running, or
  // one that started after the call was sent (its token is newer than the one refused).
  let generation = 0;
  let latest: Promise<RefreshOutcome> | null = null;
  let running = false;
  const refreshSince = (sentAt: number): Promise<RefreshOutcome> => {
    if (latest && (running || generation > sentAt)) return latest;
    generation++;
    running = true;
    latest = refresh()
      .catch((): RefreshOutcome => ({ kind: "unavailable" }))
      .finally(() => {
        running = false;
      });
    return latest;
  };
  const signOut = async (): Promise<never> => {
    await onSignedOut();
    throw new ApiAuthError(401, "signed_out");
  };
  const renewed = async (sentAt: number): Promise<string | undefined> => {
    const outcome = await refreshSince(sentAt);
    if (outcome.kind === "signed-out") return signOut();
    if (outcome.kind === "unavailable") throw new ApiAuthError(503, "auth_unavailable");
    return outcome.token;
  };

  return async (path, init = {}) => {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const url = backendUrl(baseUrl, path);
    // A stream can be sent only once; buffer it so the retry can resend it.
    const body = init.body instanceof ReadableStream ? await new Response(init.body).blob() : init.body;
    const send = (token: string | null | undefined) => {
      const headers = new Headers(init.headers);
      if (token) headers.set("authorization", `Bearer ${token}`);
      return fetchImpl(url, { ...init, body, headers });
    };
    let token = getToken ? await getToken() : undefined;
    const refreshedFirst = token === null; // no usable token: refresh before the first call, and only then
    if (refreshedFirst) token = await renewed(generation);
    const sentAt = generation;
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    if (refreshedFirst) return signOut();
    const second = await send((await renewed(sentAt)) ?? token);
    if (second.status !== 401) return second;
    await second.body?.cancel();
    return signOut();
  };
}

function here(): string {
  return `${globalThis.location.pathname}${globalThis.location.search}`;
}

/**
 * The browser's client: same-origin calls through the proxy (`/api/backend`),
 * which attaches the token. Refreshes with `POST /api/auth/refresh`; when the
 * session is gone it signs out and goes to sign-in, coming back here after.
 *
 * @example
 * const response = await browserApi("/whoami");
 */
export const browserApi: ApiClient = createApiClient({
  baseUrl: "/api/backend",
  refresh: async () => {
    const response = await fetch("/api/auth/refresh", { method: "POST", headers: { accept: "application/json" } });
    if (response.ok) return { kind: "token" };
    return response.status === 401 ? { kind: "signed-out" } : { kind: "unavailable" };
  },
  onSignedOut: async () => {
    const next = signInPath(here());
    try {
      // Revokes the session and clears both cookies; even if it fails, leave for sign-in.
      await fetch("/api/auth/sign-out", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    } finally {
      globalThis.location.assign(next);
    }
  },
});
