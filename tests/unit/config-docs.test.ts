/**
 * `.env.example` and the README's configuration table cannot drift from the
 * declarations, and no code reads a variable that is not declared.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VARIABLES } from "@/lib/config/catalog";
import { renderConfigTable, renderEnvExample, TABLE_BEGIN, TABLE_END, withConfigTable } from "@/lib/config/docs";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const names = VARIABLES.map((v) => v.name);
const FIX = "out of date: run npm run config:docs";

/** Next's own and the example backend's (a separate program, documented under Backends) are not the kit's. */
const NOT_THE_KITS = new Set(["NEXT_RUNTIME", "NEXT_PHASE"]);
const SOURCE_DIRS = ["app", "lib"];
const SKIPPED_DIRS = [path.join("lib", "examples")];

function sourceFiles(): string[] {
  const files = ["middleware.ts", "instrumentation.ts", "next.config.ts"];
  for (const dir of SOURCE_DIRS) {
    for (const file of readdirSync(path.join(root, dir), { recursive: true }).map(String)) {
      const rel = path.join(dir, file);
      if (/\.(ts|tsx)$/.test(file) && !SKIPPED_DIRS.some((skip) => rel.startsWith(`${skip}${path.sep}`)))
        files.push(rel);
    }
  }
  return files;
}

/** `process.env.X`, `process.env["X"]` and `env.X` (a record handed to a reader). */
function variablesRead(source: string): string[] {
  return [...source.matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

describe("configuration docs", () => {
  it(".env.example is generated from the declarations", () => {
    expect(read(".env.example"), `.env.example is ${FIX}`).toBe(renderEnvExample());
  });

  it("the README's table is generated from the declarations", () => {
    const readme = read("README.md");
    expect(readme).toContain(TABLE_BEGIN);
    expect(readme, `README.md's configuration table is ${FIX}`).toBe(withConfigTable(readme));
  });

  it("lists each variable once in .env.example and in the README table, in declaration order", () => {
    const inExample = [...read(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(inExample).toEqual(VARIABLES.filter((v) => v.group !== "platform").map((v) => v.name));
    const readme = read("README.md");
    const table = readme.slice(readme.indexOf(TABLE_BEGIN), readme.indexOf(TABLE_END));
    expect([...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1])).toEqual(names);
  });

  it("declares every variable once, with a type, a default and a one-line description", () => {
    expect(new Set(names).size).toBe(names.length);
    for (const v of VARIABLES) {
      expect(v.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      for (const text of [v.type, v.default, v.description]) {
        expect(text.trim(), v.name).not.toBe("");
        expect(text, v.name).not.toContain("\n");
      }
      expect(v.description, v.name).not.toMatch(/\.$/); // the renderers add the full stop
    }
  });

  it("declares every variable the kit's code reads", () => {
    const undeclared = sourceFiles().flatMap((file) =>
      variablesRead(read(file))
        .filter((name) => !names.includes(name) && !NOT_THE_KITS.has(name))
        .map((name) => `${name} (${file})`),
    );
    expect(undeclared).toEqual([]);
  });

  it("finds every form of read (the scan itself can fail)", () => {
    expect(variablesRead(`process.env.A_B; process.env["C"]; env.D; x.env.E; envelope.F`)).toEqual([
      "A_B",
      "C",
      "D",
      "E",
    ]);
  });

  it("renders a table row per variable and a row per group", () => {
    const table = renderConfigTable([{ name: "X", type: "a | b", default: "1", description: "Does x", group: "core" }]);
    expect(table.split("\n")).toEqual([
      "| Variable | Type | Default | What it does |",
      "|---|---|---|---|",
      "| **Core** | | | |",
      "| `X` | a \\| b | `1` | Does x |",
    ]);
  });
});
