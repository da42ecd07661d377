/**
 * Browser and OS names from a user-agent string, with `bowser` (a parser that
 * follows browser releases; no hand-written patterns here).
 */
import Bowser from "bowser";

/** What the devices list shows for one user agent. */
export interface UserAgentSummary {
  /** "Chrome 131"; a non-browser client as it names itself ("curl/8.5.0"); or "Unknown browser". */
  readonly browser: string;
  /** "macOS", "Windows", "Android 14", "iOS 17.5", "Linux", or "Unknown system". */
  readonly os: string;
}

const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ");

// Browsers freeze these in the user agent (every Mac says 10.15.7, Windows 11 says NT 10.0): a version would lie.
const FROZEN_OS_VERSIONS = new Set(["macOS", "Windows"]);

/** A non-browser client names itself first ("curl/8.5.0"); a browser's first token ("Mozilla/5.0") says nothing. */
function firstProduct(userAgent: string): string | undefined {
  const first = userAgent.trim().split(/\s+/)[0] ?? "";
  return first && !first.startsWith("Mozilla/") ? first.slice(0, 40) : undefined;
}

/**
 * @example
 * describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) … Chrome/131.0.0.0 Safari/537.36")
 * // { browser: "Chrome 131", os: "Linux" }
 */
export function describeUserAgent(userAgent: string | null | undefined): UserAgentSummary {
  if (!userAgent) return { browser: "Unknown browser", os: "Unknown system" };
  const { browser, os } = Bowser.parse(userAgent);
  const osVersion = os.name && FROZEN_OS_VERSIONS.has(os.name) ? undefined : (os.versionName ?? os.version);
  return {
    browser: join(browser.name, browser.version?.split(".")[0]) || firstProduct(userAgent) || "Unknown browser",
    os: join(os.name, osVersion) || "Unknown system",
  };
}
