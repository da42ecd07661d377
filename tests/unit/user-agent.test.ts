/**
 * Browser and OS names for the devices list, from real user-agent strings
 * parsed by the real `bowser`.
 */
import { describe, expect, it } from "vitest";
import { describeUserAgent } from "@/lib/accounts/user-agent";

const CASES: [name: string, userAgent: string | null, browser: string, os: string][] = [
  [
    "Chrome on Linux",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Chrome 131",
    "Linux",
  ],
  [
    "Safari on a Mac (macOS version frozen at 10.15.7: not shown)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Safari 17",
    "macOS",
  ],
  [
    "Safari on an iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Safari 17",
    "iOS 17.5",
  ],
  [
    "Firefox on Windows (NT 10.0 is also Windows 11: no version)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Firefox 133",
    "Windows",
  ],
  [
    "Chrome on Android",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Chrome 131",
    "Android 14",
  ],
  ["a command-line client names itself", "curl/8.5.0", "curl/8.5.0", "Unknown system"],
  ["no user agent", null, "Unknown browser", "Unknown system"],
  ["an empty user agent", "", "Unknown browser", "Unknown system"],
];

describe("describeUserAgent", () => {
  for (const [name, userAgent, browser, os] of CASES) {
    it(`names ${name}`, () => {
      expect(describeUserAgent(userAgent)).toEqual({ browser, os });
    });
  }

  it("keeps an over-long product token short", () => {
    expect(describeUserAgent(`x${"y".repeat(500)}`).browser).toHaveLength(40);
  });
});
