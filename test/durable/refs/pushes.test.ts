// The pushes table's owner (durable/refs/pushes.ts), in a fresh repository: a recorded push reads
// back as it was written, with or without a pack; an unknown id finds nothing.
import { describe, expect, it } from "vitest";
import { findPush, recordPush, type PushRecord } from "../../../durable/refs/pushes";
import { inRepo } from "../../../bench/harness/in-repo";

describe("pushes", () => {
  it("reads a recorded push back as it was written", async () => {
    await inRepo((repo) => {
      const push: PushRecord = { id: crypto.randomUUID(), actor: "alice", at: 1_700_000_000_123, packId: 4, options: ["ci.skip", "reviewer=bob", ""] };
      recordPush(repo.sql, push);
      expect(findPush(repo.sql, push.id)).toEqual(push);
    });
  });

  it("keeps a push without a pack or options", async () => {
    await inRepo((repo) => {
      recordPush(repo.sql, { id: "p1", actor: "admin", at: 1, packId: null, options: [] });
      expect(findPush(repo.sql, "p1")).toEqual({ id: "p1", actor: "admin", at: 1, packId: null, options: [] });
    });
  });

  it("finds nothing for an unknown id", async () => {
    await inRepo((repo) => {
      recordPush(repo.sql, { id: "p1", actor: "alice", at: 1, packId: null, options: [] });
      expect(findPush(repo.sql, "p2")).toBeNull();
    });
  });

  it("refuses a second push with the same id", async () => {
    await inRepo((repo) => {
      const push: PushRecord = { id: "p1", actor: "alice", at: 1, packId: null, options: [] };
      recordPush(repo.sql, push);
      expect(() => recordPush(repo.sql, { ...push, actor: "mallory" })).toThrow();
      expect(findPush(repo.sql, "p1")?.actor).toBe("alice");
    });
  });
});
