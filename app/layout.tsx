import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "edge-guard",
  description: "Edge-verified JWT authentication for Next.js",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <a href="/" className="brand">
            edge-guard
          </a>
          <nav>
            <a href="/dashboard">Dashboard</a>
            <a href="/sign-in">Sign in</a>
            <a href="/sign-up">Sign up</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
