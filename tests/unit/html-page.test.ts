/**
 * The guard's own HTML pages: escaped text, the app's look allowed by the CSP
 * through the hash of its one inline style.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HTML_PAGE_STYLE, HTML_PAGE_STYLE_HASH, htmlPage } from "@/lib/edge/html-page";
import { CONTENT_SECURITY_POLICY } from "@/lib/edge/security-headers";

describe("htmlPage", () => {
  it("publishes the hash of its inline style, and the CSP allows exactly that", () => {
    const hash = `'sha256-${createHash("sha256").update(HTML_PAGE_STYLE).digest("base64")}'`;
    expect(HTML_PAGE_STYLE_HASH).toBe(hash);
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'self' ${hash}`);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/style-src[^;]*unsafe-inline/);
    expect(htmlPage({ heading: "H", message: "M", links: [] })).toContain(`<style>${HTML_PAGE_STYLE}</style>`);
  });

  it("has a lang attribute, a viewport, one heading and the links", () => {
    const html = htmlPage({ heading: "Forbidden", message: "No.", links: [{ href: "/", label: "Home" }] });
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<li><a href="/">Home</a></li>');
  });

  it("escapes every text and link it is given", () => {
    const html = htmlPage({
      heading: "<script>x</script>",
      message: `a "quoted" & <b>bold</b> 'one'`,
      links: [{ href: '/x?a=1&b="><script>', label: "<i>" }],
    });
    expect(html).not.toMatch(/<script>|<b>|<i>/);
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;one&#39;");
    expect(html).toContain('href="/x?a=1&amp;b=&quot;&gt;&lt;script&gt;"');
  });
});
