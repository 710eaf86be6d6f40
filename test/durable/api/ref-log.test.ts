// GET ref-log: the event shape, every filter alone and combined (against a reference filter in the
// test), keyset paging while events land between pages, and the 400/404/405 answers.
import { describe, expect, it } from "vitest";
import type { RefEvent } from "../../../durable/refs/log";
import type { Repository } from "../../../durable/repository";
import { api, oid, ok, seed, Z, type Change } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/** Ten events over four refs, three actors and every kind, an hour apart. */
const HISTORY: Change[] = (
  [
    { ref: "refs/heads/main", to: oid(1), actor: "alice" },
    { ref: "refs/heads/dev", to: oid(2), actor: "bob" },
    { ref: "refs/tags/v1", to: oid(3), actor: "alice" },
    { ref: "refs/heads/main", to: oid(4), actor: "bob" },
    { ref: "refs/tags/v2", to: oid(5), actor: "carol" },
    { ref: "refs/heads/main", to: oid(1), kind: "force", actor: "alice" },
    { ref: "refs/heads/dev", to: Z, actor: "bob" },
    { ref: "refs/heads/main", to: oid(4), kind: "restore", actor: "carol" },
    { ref: "refs/tags/v1", to: Z, actor: "alice" },
    // Shares the text "refs/tags" but not the prefix "refs/tags/".
    { ref: "refs/tagsmith/x", to: oid(6), actor: "carol" },
  ] satisfies Change[]
).map((c, i) => ({ ...c, at: T0 + i * HOUR }));

const seqs = (body: { events: { seq: number }[] }) => body.events.map((e) => e.seq);

describe("GET ref-log", () => {
  it("returns events newest first, in the documented shape", async () => {
    await inRepo(async (repo) => {
      const [first, second] = seed(repo, { ref: "refs/heads/main", to: oid(1), at: T0, pushId: "p1" }, { ref: "refs/heads/main", to: Z, at: T0 + 1500, pushId: "p2" });
      const body = await ok(repo, "ref-log");
      expect(body.nextCursor).toBeNull();
      expect(body.events).toEqual([
        { seq: second!.seq, pushId: "p2", ref: "refs/heads/main", oldOid: oid(1), newOid: Z, kind: "delete", actor: "alice", actorId: null, at: "2024-01-01T00:00:01.500Z", prevHash: second!.prevHash },
        { seq: first!.seq, pushId: "p1", ref: "refs/heads/main", oldOid: Z, newOid: oid(1), kind: "create", actor: "alice", actorId: null, at: "2024-01-01T00:00:00.000Z", prevHash: first!.prevHash },
      ]);
    });
  });

  it("applies every filter alone and in every combination, in both orders", async () => {
    await inRepo(async (repo) => {
      const events = seed(repo, ...HISTORY);
      const refs: [string | undefined, (e: RefEvent) => boolean][] = [
        [undefined, () => true],
        ["refs/heads/main", (e) => e.ref === "refs/heads/main"],
        ["refs/tags/*", (e) => e.ref.startsWith("refs/tags/")],
        ["*", () => true],
      ];
      const actors: [string | undefined, (e: RefEvent) => boolean][] = [[undefined, () => true], ["alice", (e) => e.actor === "alice"]];
      const kinds: [string | undefined, (e: RefEvent) => boolean][] = [
        [undefined, () => true],
        ["create", (e) => e.kind === "create"],
        ["force,restore", (e) => e.kind === "force" || e.kind === "restore"],
      ];
      const sinces: [string | undefined, (e: RefEvent) => boolean][] = [[undefined, () => true], ["2024-01-01T02:00:00Z", (e) => e.at >= T0 + 2 * HOUR]];
      const untils: [string | undefined, (e: RefEvent) => boolean][] = [[undefined, () => true], ["2024-01-01T09:00:00+02:00", (e) => e.at < T0 + 7 * HOUR]];
      let combinations = 0;
      for (const [ref, byRef] of refs)
        for (const [actor, byActor] of actors)
          for (const [kind, byKind] of kinds)
            for (const [since, bySince] of sinces)
              for (const [until, byUntil] of untils)
                for (const order of ["asc", "desc"] as const) {
                  const query = new URLSearchParams(Object.entries({ ref, actor, kind, since, until, order }).filter((kv): kv is [string, string] => kv[1] !== undefined));
                  const expected = events.filter((e) => byRef(e) && byActor(e) && byKind(e) && bySince(e) && byUntil(e)).map((e) => e.seq);
                  if (order === "desc") expected.reverse();
                  expect(seqs(await ok(repo, `ref-log?${query}`)), query.toString()).toEqual(expected);
                  combinations++;
                }
      expect(combinations).toBe(192);
    });
  });

  it("reads an unencoded + in a time offset (a space in the query) as +", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...HISTORY);
      expect(seqs(await ok(repo, "ref-log?order=asc&until=2024-01-01T03:30:00+02:00"))).toEqual([1, 2]);
      expect(seqs(await ok(repo, "ref-log?order=asc&since=2024-01-01&until=2024-01-01T01:00Z"))).toEqual([1]);
    });
  });

  it("limits the page size: default 100, at most 1000", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...Array.from({ length: 120 }, (_, i) => ({ ref: `refs/heads/b${i}`, to: oid(i + 1) })));
      expect((await ok(repo, "ref-log")).events).toHaveLength(100);
      expect((await ok(repo, "ref-log?limit=1000")).events).toHaveLength(120);
      const one = await ok(repo, "ref-log?limit=1");
      expect(seqs(one)).toEqual([120]);
      expect(one.nextCursor).toEqual(expect.any(String));
    });
  });

  for (const order of ["asc", "desc"] as const) {
    it(`pages with the cursor (order=${order}) while events land between pages, never skipping or repeating one`, async () => {
      await inRepo(async (repo) => {
        const ref = (i: number) => (i % 3 === 0 ? "refs/heads/main" : `refs/heads/topic${i}`);
        let n = 0;
        const land = (count: number) => seed(repo, ...Array.from({ length: count }, () => ({ ref: ref(++n), to: oid(n) })));
        land(25);
        for (const filter of ["", "&ref=refs/heads/main"]) {
          const before = repo.refs.lastSeq();
          const seen: number[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: { events: { seq: number; ref: string }[]; nextCursor: string | null } = await ok(repo, `ref-log?limit=4${filter}${cursor ? `&cursor=${cursor}` : `&order=${order}`}`);
            seen.push(...seqs(page));
            if (filter) expect(page.events.every((e) => e.ref === "refs/heads/main")).toBe(true);
            cursor = page.nextCursor;
            if (cursor) land(2);
            pages++;
          } while (cursor && pages < 100);
          expect(new Set(seen).size).toBe(seen.length);
          const matching = repo.sql
            .exec<{ seq: number }>(`SELECT seq FROM ref_events ${filter ? "WHERE ref = 'refs/heads/main'" : ""} ORDER BY seq ${order}`)
            .toArray()
            .map((r) => r.seq);
          // Descending: exactly the events that existed when paging began. Ascending: every event up to the end.
          expect(seen).toEqual(order === "desc" ? matching.filter((s) => s <= before) : matching);
        }
      });
    });
  }

  it("keeps the cursor's order when order is left out, and refuses a cursor of the other order", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...HISTORY);
      const first = await ok(repo, "ref-log?order=asc&limit=3");
      expect(seqs(first)).toEqual([1, 2, 3]);
      expect(seqs(await ok(repo, `ref-log?limit=3&cursor=${first.nextCursor}`))).toEqual([4, 5, 6]);
      const wrong = await api(repo, `ref-log?order=desc&cursor=${first.nextCursor}`);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe("invalid parameter 'cursor'");
    });
  });

  const badQueries: [string, string][] = [
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["limit=-1", "limit"],
    ["limit=2.5", "limit"],
    ["order=newest", "order"],
    ["kind=push", "kind"],
    ["kind=create,", "kind"],
    ["since=yesterday", "since"],
    ["since=2024-02-30", "since"],
    ["until=2024-01-01T25:00:00Z", "until"],
    ["until=2024-01-01T10:00:00", "until"],
    ["since=2024-02-01&until=2024-01-01", "until"],
    ["cursor=not-a-cursor", "cursor"],
    [`cursor=${btoa("sideways:3")}`, "cursor"],
    ["ref=refs/*/main", "ref"],
    ["ref=", "ref"],
    ["refs=refs/heads/main", "refs"],
    ["actor=a&actor=b", "actor"],
  ];
  for (const [query, param] of badQueries) {
    it(`answers 400 naming '${param}' for ?${query}`, async () => {
      await inRepo(async (repo) => {
        seed(repo, HISTORY[0]!);
        const res = await api(repo, `ref-log?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe(`invalid parameter '${param}'`);
        expect(res.body.detail).toEqual(expect.any(String));
      });
    });
  }
});

describe("API routing", () => {
  const withRepo = (fn: (repo: Repository) => Promise<void>) => inRepo(async (repo) => {
    seed(repo, HISTORY[0]!);
    await fn(repo);
  });

  it("answers 404 for an unknown route", async () => {
    await withRepo(async (repo) => {
      for (const path of ["nope", "ref-log/extra", "refs/heads/main", "pushes", "ref-log/"]) {
        const res = await api(repo, path);
        expect(res.status, path).toBe(404);
        expect(res.body.error).toBe("not found");
      }
    });
  });

  it("answers 405 with Allow for a wrong method", async () => {
    await withRepo(async (repo) => {
      const cases: [string, string, string][] = [
        ["POST", "ref-log", "GET"],
        ["DELETE", "refs", "GET"],
        ["GET", "refs/restore", "POST"],
        ["PUT", "pushes/p1", "GET"],
        ["POST", "ref-log/verify", "GET"],
        ["POST", "ref-log.ndjson", "GET"],
      ];
      for (const [method, path, allow] of cases) {
        const res = await api(repo, path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("Allow")).toBe(allow);
        expect(res.body.error).toBe("method not allowed");
      }
    });
  });

  it("answers 404 repository not found before the first push", async () => {
    await inRepo(async (repo) => {
      for (const path of ["ref-log", "refs", "ref-log.ndjson", "ref-log/verify", "pushes/x"]) {
        const res = await api(repo, path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: "repository not found" });
      }
    });
  });
});
