/**
 * The password rule, one definition for sign-up, reset and change: a length
 * between `AUTH_PASSWORD_MIN_LENGTH` (default 8) and 128, not the user's own
 * email, and not obviously guessable by zxcvbn-ts (common passwords, names,
 * keyboard walks, dates, l33t variants of them, and the user's own details).
 */
import type { OptionsType } from "@zxcvbn-ts/core";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** The longest password accepted, whatever the configuration (hashing cost is bounded). */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * The lowest zxcvbn score accepted (0–4). 3 means "safely unguessable: moderate
 * protection from offline slow-hash attacks" (about 10^8+ guesses); 0–2 are
 * the passwords crackers try first.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Why a password is refused; stable codes (the first two are Better Auth's own). */
export type PasswordProblem =
  | "PASSWORD_TOO_SHORT"
  | "PASSWORD_TOO_LONG"
  | "PASSWORD_CONTAINS_EMAIL"
  | "PASSWORD_TOO_WEAK";

/** The verdict on one password. */
export type PasswordVerdict = { ok: true } | { ok: false; code: PasswordProblem; message: string };

export interface PasswordContext {
  /** Shortest length accepted (`serverConfig().passwordMinLength`). */
  minLength: number;
  /** The account's email, when known: refused as (part of) a password and fed to the estimator. */
  email?: string | undefined;
  /** The account's name, when known: fed to the estimator. */
  name?: string | undefined;
}

let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  const options: OptionsType = {
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  };
  estimator ??= new ZxcvbnFactory(options);
  return estimator;
}

function userInputs(context: PasswordContext): string[] {
  const [local = "", domain = ""] = context.email?.toLowerCase().split("@") ?? [];
  const name = context.name?.toLowerCase() ?? "";
  const words = [local, domain, name].flatMap((part) => part.split(/[^\p{L}\p{N}]+/u));
  // Whole and squashed forms too: "ann.lee" is guessed as "annlee" as well.
  const squashed = [local, name].map((part) => part.replace(/[^\p{L}\p{N}]+/gu, ""));
  return [...new Set([context.email?.toLowerCase() ?? "", local, ...squashed, ...words])].filter((v) => v.length >= 3);
}

/**
 * Judges a password. The message says why and what to do.
 *
 * @example
 * checkPassword("password123", { minLength: 8 });
 * // { ok: false, code: "PASSWORD_TOO_WEAK", message: "Password is too weak: this is a commonly used password. …" }
 */
export function checkPassword(password: string, context: PasswordContext): PasswordVerdict {
  if (password.length < context.minLength) {
    return {
      ok: false,
      code: "PASSWORD_TOO_SHORT",
      message: `Password is too weak: use at least ${context.minLength} characters.`,
    };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return {
      ok: false,
      code: "PASSWORD_TOO_LONG",
      message: `Password is too long: use at most ${MAX_PASSWORD_LENGTH} characters.`,
    };
  }
  const email = context.email?.toLowerCase();
  if (email && password.toLowerCase().includes(email)) {
    return { ok: false, code: "PASSWORD_CONTAINS_EMAIL", message: "Password must not contain your email address." };
  }
  const result = zxcvbn().check(password, userInputs(context));
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true };
  const why = result.feedback.warning ?? "it would be guessed quickly.";
  const hint = result.feedback.suggestions[0] ?? "Add more words that are less common.";
  return {
    ok: false,
    code: "PASSWORD_TOO_WEAK",
    message: `Password is too weak: ${why.charAt(0).toLowerCase()}${why.slice(1)} ${hint}`,
  };
}
