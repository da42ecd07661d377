import type { Metadata } from "next";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "Admin · edge-guard" };

/** Role-restricted page: the route policy sends non-admins a 403 before this renders. */
export default async function AdminPage() {
  const user = await requireUser({ redirectTo: "/admin" });
  if (user.role !== "admin") {
    return (
      <>
        <h1>Forbidden</h1>
        <p>
          This page needs the admin role. <a href="/dashboard">Back to your dashboard</a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Admin</h1>
      <section className="card">
        <p>
          Signed in as <strong>{user.email}</strong> with role <code>{user.role}</code>.
        </p>
      </section>
    </>
  );
}
