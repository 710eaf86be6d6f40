// An import's ref updates: created, moved (forced) and deleted so that the repository's branches and
// tags equal the remote's, in the remote's order with deletions last.
import { describe, expect, it } from "vitest";
import { refUpdates } from "../../../worker/imports/ref-updates";

const [A, B, C] = ["a", "b", "c"].map((c) => c.repeat(40)) as [string, string, string];
const ZERO = "0".repeat(40);

describe("refUpdates", () => {
  it("creates every ref of a first import", () => {
    expect(refUpdates([], [{ name: "refs/heads/main", oid: A }, { name: "refs/tags/v1", oid: B }])).toEqual([
      { name: "refs/heads/main", old: ZERO, new: A },
      { name: "refs/tags/v1", old: ZERO, new: B },
    ]);
  });

  it("moves what differs, deletes what the remote dropped, and leaves equal refs alone", () => {
    const local = [{ name: "refs/heads/main", oid: A }, { name: "refs/heads/gone", oid: B }, { name: "refs/tags/v1", oid: C }];
    const remote = [{ name: "refs/heads/main", oid: B }, { name: "refs/tags/v1", oid: C }, { name: "refs/heads/new", oid: C }];
    expect(refUpdates(local, remote)).toEqual([
      { name: "refs/heads/main", old: A, new: B },
      { name: "refs/heads/new", old: ZERO, new: C },
      { name: "refs/heads/gone", old: B, new: ZERO },
    ]);
    expect(refUpdates(remote, remote)).toEqual([]);
  });
});
