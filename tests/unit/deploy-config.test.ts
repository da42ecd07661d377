/**
 * `vercel.json` builds the way the README's Deploy section says, pins the
 * functions to the documented region, and leaves headers to the app.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const vercel = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as Record<string, unknown>;
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const deploy = readme.slice(readme.indexOf("## Deploy"), readme.indexOf("\n## ", readme.indexOf("## Deploy") + 1));
const scripts = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

describe("vercel.json", () => {
  it("installs with npm install and migrates before next build", () => {
    expect(vercel.installCommand).toBe("npm install");
    expect(vercel.buildCommand).toBe("npm run db:migrate && next build");
    expect(scripts["db:migrate"]).toBeTruthy();
  });

  it("pins the functions to one region, the one the Deploy section documents", () => {
    expect(vercel.regions).toEqual([expect.stringMatching(/^[a-z]{3}\d$/)]);
    const [region] = vercel.regions as string[];
    expect(deploy).toContain(`"regions": ["${region}"]`);
    expect(deploy).toMatch(new RegExp(`\`${region}\` \\([^)]+\\) sits\\s+next to Neon's`));
  });

  it("sets no headers, routes, rewrites or redirects that would fight the app's own", () => {
    for (const key of ["headers", "routes", "rewrites", "redirects", "cleanUrls", "trailingSlash"]) {
      expect(vercel, key).not.toHaveProperty(key);
    }
  });

  it("is quoted as is in the Deploy section", () => {
    const quoted = /```json\n([\s\S]*?)```/.exec(deploy)?.[1] ?? "";
    const { $schema: _schema, ...rest } = vercel;
    expect(JSON.parse(quoted)).toEqual(rest);
  });
});
