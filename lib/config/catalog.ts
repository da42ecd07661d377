/**
 * Every variable the kit reads, edge and server, in documentation order: the
 * source of `.env.example` and the README's configuration table.
 */
import * as edge from "../edge/config-variables";
import type { VariableGroup, VariableInfo } from "../edge/variable";
import * as account from "./account-variables";
import * as server from "./variables";

/** Section titles, in the order the docs show them. */
export const GROUP_TITLES: Readonly<Record<VariableGroup, string>> = {
  core: "Core",
  database: "Database",
  tokens: "Tokens, keys and revocation",
  accounts: "Accounts and mail",
  backends: "Backends",
  posture: "Production posture",
  platform: "Set by the platform (never in .env)",
};

function isVariable(value: unknown): value is VariableInfo {
  return typeof value === "object" && value !== null && "name" in value && "parse" in value && "group" in value;
}

/** Each declared variable once, grouped in `GROUP_TITLES` order, by name within a group (a module namespace has no declaration order). */
export const VARIABLES: readonly VariableInfo[] = (() => {
  const modules: unknown[] = [...Object.values(edge), ...Object.values(server), ...Object.values(account)];
  const declared = modules.filter(isVariable);
  const unique = [...new Map(declared.map((v) => [v.name, v])).values()];
  const order = Object.keys(GROUP_TITLES);
  return unique.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || (a.name < b.name ? -1 : 1));
})();
