/**
 * A sign-up is one transaction: when the database fails between the `user`
 * insert and the `account` insert, nothing is left behind and the client is
 * told to retry (503), not given a half-made account it can never sign in to.
 *
 * The fault is real, not mocked: a trigger on `account` makes Postgres itself
 * raise `08006 connection_failure` for the emails this test uses, after the
 * `user` row of the same sign-up was written.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCaller } from "../helpers/auth-handler";
import { uniqueEmail } from "../helpers/http";
import type { AuthApp } from "./auth-flows";

const FAULTY_PREFIX = "account-fault-";

/** Registers the atomicity check (Postgres: it installs a trigger); `app()` is valid from the first test on. */
export function describeSignUpAtomicity(app: () => AuthApp): void {
  describe("a sign-up the database fails half-way through", () => {
    beforeAll(async () => {
      await sql`
        create function eg_fail_account() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from "user" where id = new."userId" and email like '${sql.raw(FAULTY_PREFIX)}%') then
            raise exception 'injected: connection lost before the account row' using errcode = '08006';
          end if;
          return new;
        end $$`.execute(app().db);
      await sql`create trigger eg_fail_account before insert on account for each row execute function eg_fail_account()`.execute(
        app().db,
      );
    });
    afterAll(async () => {
      await sql`drop trigger if exists eg_fail_account on account`.execute(app().db);
      await sql`drop function if exists eg_fail_account()`.execute(app().db);
    });

    it("rolls back the user row and answers 503 database_unavailable", async () => {
      const email = uniqueEmail(FAULTY_PREFIX.slice(0, -1));
      const response = await authCaller(app().handler).call("/sign-up/email", {
        body: { email, password: "correct-horse-1", name: "Half" },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "database_unavailable" });
      expect(await app().db.selectFrom("user").select("id").where("email", "=", email).execute()).toEqual([]);
    });
  });
}
