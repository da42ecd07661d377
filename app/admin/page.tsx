import type { Metadata } from "next";
import { adminForPage } from "@/lib/admin/access";
import { PAGE_SIZE, readDirectory } from "@/lib/admin/directory";
import { noticeText } from "./notices";
import { UserCard } from "./user-card";

export const metadata: Metadata = { title: "Admin · edge-guard" };

type Search = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function Refused({ reason }: { reason: "forbidden" | "signed_out" | "unavailable" }) {
  if (reason === "unavailable") return <h1>Admin is unavailable right now; try again shortly.</h1>;
  return (
    <>
      <h1>Forbidden</h1>
      <p>
        This page needs the admin role. <a href="/dashboard">Back to your dashboard</a>
      </p>
    </>
  );
}

/**
 * Users, found by email and paged, with their role, ban state and sessions,
 * and the admin actions. The guard's `/admin/**` rule sends non-admins a 403
 * first; this page checks again (JWT role), and every read goes through
 * Better Auth's admin endpoints, which check the role in the database.
 */
export default async function AdminPage({ searchParams }: { searchParams: Search }) {
  const access = await adminForPage("/admin");
  if (!access.ok) return <Refused reason={access.reason} />;
  const params = await searchParams;
  const q = (one(params.q) ?? "").slice(0, 200);
  const page = Math.max(0, Number.parseInt(one(params.page) ?? "0", 10) || 0);
  const directory = await readDirectory({ search: q, page });
  if (!directory.ok) return <Refused reason={directory.reason} />;
  const notice = noticeText(one(params.notice));
  const pages = Math.max(1, Math.ceil(directory.total / PAGE_SIZE));
  const link = (p: number) => `/admin?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <h1>Admin</h1>
      <p>
        Signed in as <strong>{access.user.email}</strong> with role <code>{access.user.role}</code>.
      </p>
      {notice && (
        <p role={notice.ok ? "status" : "alert"} className={notice.ok ? "ok" : "error"} data-testid="notice">
          {notice.text}
        </p>
      )}
      <search>
        <form method="get" action="/admin">
          <label>
            Email contains
            <input name="q" type="search" defaultValue={q} />
          </label>
          <button type="submit">Search</button>
        </form>
      </search>
      <p data-testid="total">
        {directory.total} user{directory.total === 1 ? "" : "s"}
        {q ? ` matching “${q}”` : ""} · page {page + 1} of {pages}
      </p>
      {directory.users.map((user) => (
        <UserCard key={user.id} user={user} at={{ q, page }} self={user.id === access.user.id} />
      ))}
      <nav aria-label="Pages">
        {page > 0 && <a href={link(page - 1)}>Previous</a>} {page + 1 < pages && <a href={link(page + 1)}>Next</a>}
      </nav>
    </>
  );
}
