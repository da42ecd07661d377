/**
 * The small HTML pages the guard and the refresh hop answer with themselves
 * (403, 503): a plain string, edge-safe, with the app's look in an inline
 * `<style>` (the app's stylesheet has a build hash the edge cannot know), a
 * `lang` attribute, a heading and links back. The CSP allows exactly that
 * style by its hash (`HTML_PAGE_STYLE_HASH`), so no other inline style runs.
 */

/** The inline stylesheet of these pages: the app's colours, fonts and spacing. */
export const HTML_PAGE_STYLE =
  ":root{color-scheme:light;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;background:#fff;line-height:1.5}" +
  "body{margin:0;overflow-wrap:anywhere}header{padding:.75rem 1.25rem;border-bottom:1px solid #d0d7de}" +
  "header a{font-weight:700;color:#1b1f24;text-decoration:none}main{max-width:44rem;margin:2rem auto;padding:0 1.25rem}" +
  "h1{font-size:1.75rem;margin:0 0 1rem}a{color:#0a58ca}a:focus-visible{outline:3px solid #0a58ca;outline-offset:2px}" +
  "ul{padding-left:1.25rem}";

/** `'sha256-…'` of `HTML_PAGE_STYLE`, for `style-src` (a unit test keeps the two in step). */
export const HTML_PAGE_STYLE_HASH = "'sha256-UhN/wJv/Gg21u0CVlTvSkbnMguOoo5Zd/b5E1lryeWE='";

/** A link under the page's message. */
export interface PageLink {
  readonly href: string;
  readonly label: string;
}

export interface HtmlPageOptions {
  /** The document title and `<h1>`. */
  heading: string;
  /** One paragraph of plain text (escaped here). */
  message: string;
  /** Ways on: same-origin paths (escaped here). */
  links: readonly PageLink[];
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A complete HTML document in the app's look. */
export function htmlPage({ heading, message, links }: HtmlPageOptions): string {
  const items = links.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>`).join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(heading)} · edge-guard</title><style>${HTML_PAGE_STYLE}</style></head>` +
    `<body><header><a href="/">edge-guard</a></header><main><h1>${escapeHtml(heading)}</h1>` +
    `<p>${escapeHtml(message)}</p><ul>${items}</ul></main></body></html>`
  );
}
