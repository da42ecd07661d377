/**
 * Every revoking action ends in the revocation feed, on embedded PGlite.
 */
import { beforeAll } from "vitest";
import { describeRevocationActions } from "./revocation-actions";

beforeAll(() => {
  delete process.env.DATABASE_URL;
});

describeRevocationActions("revocation on PGlite");
