import type { Metadata } from "next";
import { AuthForm } from "@/app/components/auth-form";
import { safeNextPath } from "@/lib/edge/next-path";

export const metadata: Metadata = { title: "Sign in · edge-guard" };

/** Better Auth's answers for a verification link that did not work (appended to its callback, i.e. `next`). */
const LINK_ERRORS = new Set(["INVALID_TOKEN", "TOKEN_EXPIRED", "USER_NOT_FOUND", "INVALID_USER"]);

/** A notice for what sent the visitor here: a finished reset, or a verification link that failed. */
function noticeFor(reset: string | undefined, next: string): { next: string; notice?: string; alert?: string } {
  if (reset === "done")
    return {
      next,
      notice: "Your password was changed and every device was signed out. Sign in with the new password.",
    };
  const url = new URL(next, "http://same-origin.invalid");
  const error = url.searchParams.get("error");
  if (!error || !LINK_ERRORS.has(error)) return { next };
  url.searchParams.delete("error");
  return {
    next: `${url.pathname}${url.search}`,
    alert: "That confirmation link has expired or is not valid. Sign in, and we can send you a new one.",
  };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; reset?: string | string[] }>;
}) {
  const { next, reset } = await searchParams;
  const {
    next: target,
    notice,
    alert,
  } = noticeFor(
    typeof reset === "string" ? reset : undefined,
    safeNextPath(typeof next === "string" ? next : undefined),
  );
  return (
    <>
      <h1>Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      {alert && (
        <p role="alert" className="error">
          {alert}
        </p>
      )}
      <AuthForm mode="sign-in" next={target} />
      <p>
        No account? <a href={`/sign-up?next=${encodeURIComponent(target)}`}>Sign up</a>
      </p>
    </>
  );
}
