import type { DirectoryUser } from "@/lib/admin/directory";
import { ROLES } from "@/lib/admin/plugin";
import { banUserAction, revokeSessionsAction, setRoleAction, unbanUserAction } from "./actions";
import { BAN_DURATIONS } from "./notices";

/** Where the admin came from, carried through each form so the redirect returns to the same list. */
export interface ListPosition {
  readonly q: string;
  readonly page: number;
}

function Hidden({ user, at }: { user: DirectoryUser; at: ListPosition }) {
  return (
    <>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="q" value={at.q} />
      <input type="hidden" name="page" value={at.page} />
    </>
  );
}

/** One user: role, ban state, sessions (never their tokens), and the four admin actions. */
export function UserCard({ user, at, self }: { user: DirectoryUser; at: ListPosition; self: boolean }) {
  return (
    <article className="user-card" data-testid="user" data-email={user.email}>
      <h3>
        {user.email} {self && <small>(you)</small>}
      </h3>
      <dl>
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Role</dt>
        <dd data-testid="role">{user.role}</dd>
        <dt>Status</dt>
        <dd data-testid="status">
          {user.banned
            ? `banned${user.banExpires ? ` until ${user.banExpires}` : ""}: ${user.banReason ?? ""}`
            : "active"}
        </dd>
        <dt>Sessions</dt>
        <dd data-testid="session-count">{user.sessions.length}</dd>
      </dl>
      {user.sessions.length > 0 && (
        <details>
          <summary>Sessions</summary>
          <ul>
            {user.sessions.map((s) => (
              <li key={s.id}>
                since {s.createdAt}, expires {s.expiresAt}
                {s.ipAddress ? `, from ${s.ipAddress}` : ""}
                {s.userAgent ? `, ${s.userAgent.slice(0, 80)}` : ""}
                {s.impersonatedBy ? ", impersonated" : ""}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="admin-actions">
        <form action={setRoleAction} aria-label={`Role of ${user.email}`}>
          <Hidden user={user} at={at} />
          <label>
            Role
            <select name="role" defaultValue={user.role}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Set role</button>
        </form>
        <form action={revokeSessionsAction}>
          <Hidden user={user} at={at} />
          <button type="submit">Revoke all sessions</button>
        </form>
        {user.banned ? (
          <form action={unbanUserAction}>
            <Hidden user={user} at={at} />
            <button type="submit">Unban</button>
          </form>
        ) : (
          !self && (
            <form action={banUserAction} aria-label={`Ban ${user.email}`}>
              <Hidden user={user} at={at} />
              <label>
                Reason
                <input name="reason" maxLength={200} />
              </label>
              <label>
                Expires
                <select name="expiresIn" defaultValue="">
                  <option value="">never</option>
                  {BAN_DURATIONS.map((d) => (
                    <option key={d.seconds} value={d.seconds}>
                      in {d.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">Ban</button>
            </form>
          )
        )}
      </div>
    </article>
  );
}
