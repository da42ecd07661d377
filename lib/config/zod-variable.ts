/**
 * Node-side variables are declared with zod: one schema per variable, whose
 * first issue message ("must be …") becomes the one-line `ConfigError`.
 */
import * as z from "zod";
import type { Variable, VariableInfo } from "../edge/variable";
import { ConfigError, defineVariable } from "../edge/variable";

/**
 * Declares a variable parsed by a zod schema. The schema receives `undefined`
 * for an unset or empty value, so its `.optional()` / `.default()` is the
 * variable's default; its messages are written as "must …" / "is …".
 *
 * @example
 * const MAIL_FROM = zodVariable({ name: "MAIL_FROM", … }, z.string().optional());
 */
export function zodVariable<T>(info: VariableInfo, schema: z.ZodType<T, string | undefined>): Variable<T> {
  return defineVariable(info, (value, fail) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const message = result.error.issues[0]?.message;
    if (!message) throw new ConfigError(`${info.name} is invalid`);
    return fail(message);
  });
}

/**
 * Declares a whole-number variable `min`–`max` with a zod schema; its type and
 * default are written from the same numbers. No `default`: unset is `undefined`.
 */
export function zodInteger<D extends number | undefined>(
  info: Omit<VariableInfo, "type" | "default"> & { min: number; max: number; default: D; unset?: string },
): Variable<number | D> {
  const { min, max } = info;
  const message = `must be a whole number between ${min} and ${max}`;
  const schema = z
    .string()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .optional()
    .transform((value) => value ?? info.default);
  const text = info.default === undefined ? (info.unset ?? "unset") : String(info.default);
  return zodVariable({ ...info, type: `integer ${min}–${max}`, default: text }, schema);
}

/** A URL with one of `protocols` (e.g. `["smtp:", "smtps:"]`), as a `URL`; `undefined` when unset. */
export function urlSchema(protocols: readonly string[], messages: { notUrl: string; protocol: string }) {
  return z
    .string()
    .refine((value) => URL.canParse(value), { error: messages.notUrl })
    .transform((value) => new URL(value))
    .refine((url) => protocols.includes(url.protocol), { error: messages.protocol })
    .optional();
}

/** `1`/`true` on, `0`/`false`/unset off. */
export function flagSchema(message: string) {
  return z
    .enum(["0", "1", "true", "false"], { error: message })
    .transform((value) => value === "1" || value === "true")
    .default(false);
}

/** A comma-separated list, trimmed, empties dropped. */
export function listSchema() {
  return z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .default([]);
}
