/**
 * The variables only the Node server reads, declared once with zod (name,
 * type, default, description, schema). `lib/config/index.ts` turns them into
 * `ServerConfig`; the edge's own are in `lib/edge/config-variables.ts`.
 */
import * as z from "zod";
import { defineVariable } from "../edge/variable";
import { listSchema, urlSchema, zodVariable } from "./zod-variable";

/** `BETTER_AUTH_SECRET`: strength and presence are judged in `secret.ts` (they depend on the mode). */
export const BETTER_AUTH_SECRET = zodVariable(
  {
    name: "BETTER_AUTH_SECRET",
    group: "core",
    type: "string, ≥ 32 random characters",
    default: "generated in .data/dev-secret (development only)",
    description:
      "Signs session cookies and encrypts the private signing keys. Required in production: `openssl rand -base64 32`",
    notes: ["Keep it: changing it signs everyone out and makes the stored signing keys unreadable."],
  },
  z.string().optional(),
);

/** A Postgres URL without echoing it: it carries the password. */
const MALFORMED_DATABASE_URL =
  "is malformed: expected postgres://user:password@host[:port]/database (Neon: the connection string from its console)";

/** `DATABASE_URL`: the Postgres to use, or `undefined` for embedded PGlite. */
export const DATABASE_URL = zodVariable(
  {
    name: "DATABASE_URL",
    group: "database",
    type: "postgres:// URL",
    default: "unset: embedded PGlite",
    description:
      "Postgres (Neon or any) through `@neondatabase/serverless`; a loopback host is bridged in-process. Required on Vercel",
    notes: [
      "Neon:  postgres://user:password@ep-xxx.region.aws.neon.tech/db?sslmode=require",
      "Local: postgres://postgres:secret@localhost:5432/edge_guard (nothing else to run)",
      "Apply the schema with `npm run db:migrate` (development also migrates itself).",
    ],
  },
  z
    .string()
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
      },
      { error: MALFORMED_DATABASE_URL },
    )
    .optional(),
);

/** `PGLITE_DATA_DIR`: PGlite's folder, or `memory://`. */
export const PGLITE_DATA_DIR = zodVariable(
  {
    name: "PGLITE_DATA_DIR",
    group: "database",
    type: "path or memory://",
    default: ".data/pglite (memory:// in tests)",
    description: "Where PGlite keeps its data when `DATABASE_URL` is unset; `memory://` for a throwaway database",
  },
  z.string().optional(),
);

/** `AUTH_ADMIN_EMAILS`: lower-cased emails that become admins at sign-up. */
export const AUTH_ADMIN_EMAILS = zodVariable(
  {
    name: "AUTH_ADMIN_EMAILS",
    group: "accounts",
    type: "comma-separated emails",
    default: "none",
    description: "Emails that get the `admin` role at sign-up (`/admin/**` requires it); everyone else is `user`",
  },
  listSchema().pipe(
    z
      .array(z.string().regex(/^[^@\s]+@[^@\s]+$/, { error: "must be comma-separated email addresses" }))
      .transform((emails) => emails.map((email) => email.toLowerCase())),
  ),
);

/** `BETTER_AUTH_TRUSTED_ORIGINS`: extra origins (Better Auth's patterns allowed). */
export const BETTER_AUTH_TRUSTED_ORIGINS = zodVariable(
  {
    name: "BETTER_AUTH_TRUSTED_ORIGINS",
    group: "core",
    type: "comma-separated origins",
    default: "none",
    description:
      "Extra origins allowed to call the auth API. `localhost` and `127.0.0.1` on the same port are always trusted on a loopback base URL",
  },
  listSchema(),
);

/** `BACKEND_URL`: the external API that `lib/api.ts` and `/api/backend/*` call with the user's JWT. */
export const BACKEND_URL = zodVariable(
  {
    name: "BACKEND_URL",
    group: "backends",
    type: "http(s) base URL",
    default: "unset: the proxy answers 503",
    description:
      "Base URL of your API (e.g. `https://api.example.com`): where `serverApi()` and `/api/backend/*` send requests with the user's JWT",
    notes: [
      "Try it with `npm run backend:example` (http://localhost:4000; that script reads BETTER_AUTH_URL, APP_URL, AUTH_JWKS, AUTH_JWT_TTL and BACKEND_PORT).",
    ],
  },
  urlSchema(["http:", "https:"], {
    notUrl: "is not a URL: set it to your API's base, e.g. https://api.example.com",
    protocol: "must start with http:// or https://",
  }).refine((url) => !url || !(url.search || url.hash || url.username || url.password), {
    error: "must be a plain base URL: no query, fragment or credentials",
  }),
);

/** `VERCEL`: set by Vercel on its builds and functions. */
export const VERCEL = defineVariable(
  {
    name: "VERCEL",
    group: "platform",
    type: "flag",
    default: "set by Vercel",
    description:
      "On Vercel: `DATABASE_URL` is required (no disk), `x-vercel-forwarded-for` is the client address, and `next build` checks presence too",
  },
  (value) => value !== undefined,
);
