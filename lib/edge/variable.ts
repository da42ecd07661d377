/**
 * How the kit declares an environment variable: its name, type, default and a
 * one-line description, next to the parser that reads it. The declarations are
 * the single source of `.env.example` and the README's configuration table
 * (`npm run config:docs`, checked by `tests/unit/config-docs.test.ts`).
 *
 * Edge-safe on purpose: no schema library here. zod/mini would add about
 * 7 KiB gzip to the middleware bundle (measured with this declaration's
 * schemas), almost as much as the whole guard; the edge reads five variables
 * with the small parsers below, and the Node half (`lib/config/`) uses zod.
 */

/** Thrown when an environment variable is missing where required, or present but unusable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Where a variable is listed in `.env.example` and the README table; `platform` ones are set by Next or the host. */
export type VariableGroup = "core" | "database" | "tokens" | "accounts" | "backends" | "posture" | "platform";

/** What the documentation needs to know about a variable. */
export interface VariableInfo {
  /** The environment variable, e.g. `AUTH_JWT_TTL`. */
  readonly name: string;
  /** Its type in words, e.g. `integer 10–3600`, `https URL`, `JSON`. */
  readonly type: string;
  /** What applies when it is unset or empty, in words. */
  readonly default: string;
  /** One line: what it does. */
  readonly description: string;
  readonly group: VariableGroup;
  /** Extra comment lines for `.env.example` (examples, how to obtain the value). */
  readonly notes?: readonly string[];
}

/** A declared variable: its documentation and its parser. */
export interface Variable<T> extends VariableInfo {
  /** Reads the raw value (empty counts as unset). Throws `ConfigError` whose message starts with the name. */
  parse(raw: string | undefined): T;
}

/** Ends parsing with `<NAME> <problem>`; `problem` says what is wrong and how to fix it. */
export type Fail = (problem: string) => never;

/**
 * Declares a variable with a parser. The parser gets `undefined` for an unset
 * or empty value and calls `fail("must be …")` on a bad one.
 *
 * @example
 * const PORT = defineVariable({ name: "PORT", type: "integer 1–65535", default: "3000", description: "…", group: "core" },
 *   (value, fail) => (value === undefined ? 3000 : integer(value, { min: 1, max: 65535 }) ?? fail("must be …")));
 */
export function defineVariable<T>(
  info: VariableInfo,
  parser: (value: string | undefined, fail: Fail) => T,
): Variable<T> {
  const fail: Fail = (problem) => {
    throw new ConfigError(`${info.name} ${problem}`);
  };
  return Object.freeze({ ...info, parse: (raw: string | undefined) => parser(raw === "" ? undefined : raw, fail) });
}

/** A whole number within `range`, or `undefined` when `value` is anything else. */
export function integer(value: string, range: { min: number; max: number }): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= range.min && n <= range.max ? n : undefined;
}

/** Declares a whole-number variable within `min`–`max` (its type and default are written from them). */
export function integerVariable(
  info: Omit<VariableInfo, "type" | "default"> & {
    min: number;
    max: number;
    default: number;
    /** e.g. `seconds`: the type reads `seconds, 10–3600`. */
    unit?: string;
  },
): Variable<number> {
  const { min, max, unit } = info;
  const type = unit ? `${unit}, ${min}–${max}` : `integer ${min}–${max}`;
  const problem = `must be a whole number${unit ? ` of ${unit}` : ""} between ${min} and ${max}`;
  return defineVariable({ ...info, type, default: String(info.default) }, (value, fail) =>
    value === undefined ? info.default : (integer(value, { min, max }) ?? fail(problem)),
  );
}
