/**
 * The access-JWT cookie: one definition of its name and attributes, used by
 * the Better Auth plugin (sign-in, sign-up, sign-out) and the refresh route.
 * `HttpOnly` (no script reads the token), `SameSite=Lax`, `Path=/`, and on
 * https `Secure` with the `__Host-` name.
 */
import { serverConfig } from "../config";

export interface CookieSpec {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    sameSite: "lax";
    path: "/";
    secure: boolean;
    maxAge: number;
  };
}

/** The cookie that carries `token` for the JWT's lifetime. */
export function accessCookie(token: string): CookieSpec {
  const config = serverConfig();
  return {
    name: config.accessCookie,
    value: token,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure: config.secureCookies, maxAge: config.jwtTtlSeconds },
  };
}

/** The same cookie, expired: what sign-out and a failed refresh send. */
export function clearedAccessCookie(): CookieSpec {
  const spec = accessCookie("");
  return { ...spec, options: { ...spec.options, maxAge: 0 } };
}
