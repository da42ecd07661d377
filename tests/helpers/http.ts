/**
 * Small HTTP helpers for end-to-end tests: a cookie jar and the auth calls.
 */

/** A minimal cookie jar: name → value, from `Set-Cookie` headers. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** Options for a browser-like page request (no redirect following). */
export function pageRequest(cookie?: string): RequestInit {
  return {
    redirect: "manual",
    headers: { accept: "text/html", "sec-fetch-dest": "document", ...(cookie ? { cookie } : {}) },
  };
}

/** Signs up through Better Auth's real endpoint; returns the response and the jar holding its cookies. */
export async function signUp(
  baseUrl: string,
  user: { email: string; password: string; name: string },
  jar = new CookieJar(),
): Promise<{ response: Response; jar: CookieJar }> {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(user),
  });
  jar.store(response);
  return { response, jar };
}

/** A unique email for this test run. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The `Location` of a redirect as `path?query` (Next may send it relative or absolute). */
export function locationPath(response: Response): string {
  const location = response.headers.get("location");
  if (!location) return "";
  const url = new URL(location, "http://relative.invalid");
  return `${url.pathname}${url.search}`;
}

/** A request with the path sent byte for byte (fetch would normalise `/./x`, `//x`). */
export function rawGet(
  baseUrl: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | undefined; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    import("node:http").then(({ request }) => {
      const req = request({ host: hostname, port, path: rawPath, method: "GET", headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      });
      req.on("error", reject);
      req.end();
    }, reject);
  });
}
