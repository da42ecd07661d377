/**
 * The browser's Better Auth client. Same origin, so no base URL is needed.
 *
 * @example
 * await authClient.signIn.email({ email, password });
 */
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();
