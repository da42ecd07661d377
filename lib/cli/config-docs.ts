/**
 * `npm run config:docs`: rewrites `.env.example` and the README's configuration
 * table from the variable declarations. `--check` writes nothing and exits 1
 * when either is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderEnvExample, withConfigTable } from "../config/docs";

const root = path.resolve(import.meta.dirname, "../..");
const check = process.argv.includes("--check");
const targets = [
  { file: ".env.example", next: () => renderEnvExample() },
  { file: "README.md", next: (current: string) => withConfigTable(current) },
];

let stale = 0;
for (const { file, next } of targets) {
  const full = path.join(root, file);
  const current = readFileSync(full, "utf8");
  const wanted = next(current);
  if (current === wanted) continue;
  stale += 1;
  if (check) console.error(`${file} is out of date: run npm run config:docs`);
  else {
    writeFileSync(full, wanted);
    console.log(`Wrote ${file}`);
  }
}
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) console.log(".env.example and README.md are up to date");
