import { SignOutButton } from "@/app/components/sign-out-button";
import { getUser } from "@/lib/session";

/**
 * The header of every page: the user's name with Account and Sign out when
 * the request carries a valid access JWT (verified here, `getUser()`), else
 * Sign in and Sign up. Plain links, so it works before any script loads.
 */
export async function SiteHeader() {
  const user = await getUser();
  return (
    <header className="top">
      <a href="/" className="brand">
        edge-guard
      </a>
      <nav aria-label="Account">
        {user ? (
          <>
            <span className="who" data-testid="header-name">
              {user.name || user.email}
            </span>
            <a href="/dashboard">Dashboard</a>
            {user.role === "admin" && <a href="/admin">Admin</a>}
            <a href="/account">Account</a>
            <SignOutButton className="link" />
          </>
        ) : (
          <>
            <a href="/sign-in">Sign in</a>
            <a href="/sign-up">Sign up</a>
          </>
        )}
      </nav>
    </header>
  );
}
