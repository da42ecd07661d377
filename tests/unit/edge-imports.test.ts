/**
 * The runtime split, enforced: `middleware.ts` and everything under
 * `lib/edge/` may import only jose, `next/server` and each other.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const edgeDir = path.join(root, "lib/edge");
const files = [
  path.join(root, "middleware.ts"),
  ...readdirSync(edgeDir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => path.join(edgeDir, f)),
];
const PACKAGES = ["jose", "next/server"];

/** Allowed: jose, next/server, or a relative path that stays inside lib/edge. */
function allowed(spec: string, from: string): boolean {
  if (PACKAGES.includes(spec)) return true;
  if (!spec.startsWith(".")) return false;
  const target = path.resolve(path.dirname(from), spec);
  return target === edgeDir || target.startsWith(`${edgeDir}${path.sep}`);
}

function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return specifiers.map((m) => (m[1] ?? m[2]) as string);
}

describe("edge-safe imports", () => {
  it.each(files.map((f) => [path.relative(root, f), f]))(
    "%s imports only jose, next/server and edge modules",
    (_rel, file) => {
      const imports = importsOf(readFileSync(file, "utf8"));
      const forbidden = imports.filter((spec) => !allowed(spec, file));
      expect(forbidden).toEqual([]);
    },
  );

  it("refuses a relative import that leaves lib/edge", () => {
    expect(allowed("../db", path.join(edgeDir, "guard.ts"))).toBe(false);
    expect(allowed("./verify", path.join(edgeDir, "guard.ts"))).toBe(true);
  });

  it("reads every import form (the check itself can fail)", () => {
    expect(
      importsOf(
        `import { x } from "better-auth";\nimport type { Y } from 'node:fs';\nconst z = await import("kysely");`,
      ),
    ).toEqual(["better-auth", "node:fs", "kysely"]);
  });
});
