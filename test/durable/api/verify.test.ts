// GET ref-log/verify: an intact hash chain over several batches, and a row altered behind the
// append-only triggers' back (trigger dropped, row updated, trigger recreated) reported as brokenAt.
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../../durable/refs/audit-chain";
import { oid, ok, seed, tamper } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const history = (n: number) => Array.from({ length: n }, (_, i) => ({ ref: `refs/heads/b${i % 4}`, to: oid(i + 1), at: 1_700_000_000_000 + i }));

describe("GET ref-log/verify", () => {
  it("confirms an intact chain across batches", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...history(2100));
      expect(await ok(repo, "ref-log/verify")).toEqual({ ok: true, events: 2100 });
    });
  });

  it("confirms an empty log", async () => {
    await inRepo(async (repo) => {
      repo.create("o/r");
      expect(await ok(repo, "ref-log/verify")).toEqual({ ok: true, events: 0 });
    });
  });

  const tampers: [string, string, SqlStorageValue[], number][] = [
    ["a new oid in the middle", "UPDATE ref_events SET new_oid = ? WHERE seq = 3", [oid(999)], 4],
    ["the first event's actor", "UPDATE ref_events SET actor = 'mallory' WHERE seq = 1", [], 2],
    ["a stored prevHash", "UPDATE ref_events SET prev_hash = ? WHERE seq = 5", ["f".repeat(64)], 5],
    ["a time", "UPDATE ref_events SET at = at + 1 WHERE seq = 6", [], 7],
  ];
  for (const [what, update, params, brokenAt] of tampers) {
    it(`reports brokenAt ${brokenAt} after ${what} was altered`, async () => {
      await inRepo(async (repo) => {
        seed(repo, ...history(8));
        tamper(repo, update, ...params);
        expect(await ok(repo, "ref-log/verify")).toEqual({ ok: false, brokenAt });
      });
    });
  }

  it("finds the break whichever batch boundary it sits on", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...history(10));
      tamper(repo, "UPDATE ref_events SET kind = 'force' WHERE seq = 6");
      for (const size of [1, 2, 3, 5, 6, 7, 1000]) expect(await verifyChain(repo.sql, 10, size, async () => {})).toEqual({ ok: false, brokenAt: 7 });
      expect(await verifyChain(repo.sql, 6, 4, async () => {})).toEqual({ ok: true, events: 6 });
    });
  });
});
