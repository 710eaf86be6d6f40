// GET refs: current refs, refs as of every seq and of times before, between, at and after events,
// checked against a replay of the log; and the query plans of the as-of and ref-filter reads.
import { describe, expect, it } from "vitest";
import { refsAsOf, refsAsOfQuery } from "../../../durable/refs/as-of";
import { eventPageQuery, pushEventsQuery } from "../../../durable/refs/audit";
import type { RefEvent } from "../../../durable/refs/log";
import { api, expectNoFullScan, oid, ok, queryPlan, seed, Z, type Change } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const T0 = Date.UTC(2024, 5, 1);
const MINUTE = 60_000;

/** Creates, updates, deletes and a re-creation over several refs, a minute apart. */
const HISTORY: Change[] = (
  [
    { ref: "refs/heads/main", to: oid(1) },
    { ref: "refs/heads/dev", to: oid(2) },
    { ref: "refs/heads/main", to: oid(3) },
    { ref: "refs/tags/v1", to: oid(3) },
    { ref: "refs/heads/dev", to: Z },
    { ref: "refs/heads/main", to: oid(1), kind: "force" },
    { ref: "refs/heads/dev", to: oid(4) },
    { ref: "refs/heads/a", to: oid(5) },
  ] satisfies Change[]
).map((c, i) => ({ ...c, at: T0 + i * MINUTE }));

/** The refs after each event, by replaying the log from the start. */
function replay(events: RefEvent[]): Record<string, string>[] {
  const states: Record<string, string>[] = [{}];
  const refs = new Map<string, string>();
  for (const e of events) {
    if (e.newOid === Z) refs.delete(e.ref);
    else refs.set(e.ref, e.newOid);
    states.push(Object.fromEntries([...refs].sort(([a], [b]) => (a < b ? -1 : 1))));
  }
  return states;
}

describe("GET refs", () => {
  it("returns the current refs, the last seq and HEAD", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...HISTORY);
      repo.refs.repointHead([]);
      const body = await ok(repo, "refs");
      expect(body).toEqual({ seq: 8, head: "refs/heads/main", refs: { "refs/heads/a": oid(5), "refs/heads/dev": oid(4), "refs/heads/main": oid(1), "refs/tags/v1": oid(3) } });
      expect(Object.keys(body.refs)).toEqual(Object.keys(body.refs).sort());
    });
  });

  it("returns the refs right after any seq, as a replay of the log gives them", async () => {
    await inRepo(async (repo) => {
      const states = replay(seed(repo, ...HISTORY));
      for (let seq = 0; seq < states.length; seq++) {
        const body = await ok(repo, `refs?at=${seq}`);
        expect(body.seq).toBe(seq);
        expect(body.refs, `at=${seq}`).toEqual(states[seq]);
        expect(Object.keys(body.refs)).toEqual(Object.keys(states[seq]!));
      }
      expect(Object.fromEntries(refsAsOf(repo.sql, 8))).toEqual(Object.fromEntries(repo.refs.all()));
      expect(await ok(repo, "refs?at=999")).toEqual(await ok(repo, "refs"));
    });
  });

  it("returns the refs at a time: none before the first event, the current ones in the future", async () => {
    await inRepo(async (repo) => {
      const states = replay(seed(repo, ...HISTORY));
      const at = (iso: string) => ok(repo, `refs?at=${encodeURIComponent(iso)}`);
      expect(await at("2024-05-31T23:59:59.999Z")).toMatchObject({ seq: 0, refs: {} });
      expect(await at("2024-06-01T00:00:00Z")).toMatchObject({ seq: 1, refs: states[1] });
      expect(await at("2024-06-01T00:02:30Z")).toMatchObject({ seq: 3, refs: states[3] });
      expect(await at("2024-06-01T02:02:00+02:00")).toMatchObject({ seq: 3, refs: states[3] });
      expect(await at("2024-06-01T00:04:00.000Z")).toMatchObject({ seq: 5, refs: states[5] });
      expect(await at("2099-01-01")).toEqual(await ok(repo, "refs"));
    });
  });

  it("answers events that share a time with the last of them", async () => {
    await inRepo(async (repo) => {
      seed(repo, { ref: "refs/heads/main", to: oid(1), at: T0 }, { ref: "refs/heads/x", to: oid(2), at: T0 }, { ref: "refs/heads/y", to: oid(3), at: T0 + 1 });
      expect(await ok(repo, `refs?at=${new Date(T0).toISOString()}`)).toMatchObject({ seq: 2, refs: { "refs/heads/main": oid(1), "refs/heads/x": oid(2) } });
    });
  });

  for (const bad of ["abc", "-1", "2024-13-01", "1.5", ""]) {
    it(`answers 400 for at=${bad || "(empty)"}`, async () => {
      await inRepo(async (repo) => {
        seed(repo, HISTORY[0]!);
        const res = await api(repo, `refs?at=${bad}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe("invalid parameter 'at'");
      });
    });
  }
});

describe("query plans", () => {
  const plans = {
    "refs as of a seq": refsAsOfQuery(40),
    "ref-log by exact ref, newest first": eventPageQuery({ ref: { exact: "refs/heads/b1" } }, { order: "desc" }, 101),
    "ref-log by exact ref, after a cursor": eventPageQuery({ ref: { exact: "refs/heads/b1" }, actor: "alice", kinds: ["update"] }, { order: "asc", after: 10 }, 101),
    "ref-log by ref prefix": eventPageQuery({ ref: { prefix: "refs/heads/" } }, { order: "desc", after: 60 }, 101),
    "events of a push": pushEventsQuery("p"),
  };
  for (const [name, q] of Object.entries(plans)) {
    it(`${name} seeks an index instead of scanning ref_events`, async () => {
      await inRepo(async (repo) => {
        seed(repo, ...Array.from({ length: 80 }, (_, i) => ({ ref: `refs/heads/b${i % 9}`, to: oid(i + 1) })));
        const plan = queryPlan(repo, q.sql, q.params);
        expect(plan.join("\n")).toMatch(/SEARCH (ref_events|e) USING (COVERING )?INDEX ref_events_(ref_seq|push)/);
        expectNoFullScan(plan);
      });
    });
  }

  it("the check fails a scan of the table or of a whole index", async () => {
    await inRepo(async (repo) => {
      seed(repo, { ref: "refs/heads/main", to: oid(1) });
      expect(() => expectNoFullScan(queryPlan(repo, "SELECT * FROM ref_events WHERE actor = ?", ["x"]))).toThrow();
      expect(() => expectNoFullScan(queryPlan(repo, "SELECT ref, max(seq) FROM ref_events WHERE seq <= ? GROUP BY ref", [1]))).toThrow();
    });
  });
});
