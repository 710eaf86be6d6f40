// GET pushes/{pushId}: a push with its events in seq order, actor, time, pack and push options; a
// push without a pack; and 404 for an unknown id.
import { describe, expect, it } from "vitest";
import type { Repository } from "../../../durable/repository";
import { api, oid, ok, seed, storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const AT = Date.UTC(2024, 2, 3, 4, 5, 6);

/** A push as receive-pack records it: its events and its pushes row, at the same time. */
function recordPush(repo: Repository, pushId: string, packId: number | null, options: string[], refs: string[]) {
  const events = seed(repo, ...refs.map((ref, i) => ({ ref, to: oid(i + 1), pushId, actor: "carol", at: AT })));
  repo.sql.exec("INSERT INTO pushes (id, actor, at, pack_id, options) VALUES (?, ?, ?, ?, ?)", pushId, "carol", AT, packId, JSON.stringify(options));
  return events;
}

describe("GET pushes/{pushId}", () => {
  it("returns the push with its pack, options and events", async () => {
    await inRepo(async (repo) => {
      const { packId, bytes } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/other", to: oid(50) });
      const events = recordPush(repo, "push-1", packId, ["ci.skip", "reviewer=dan"], ["refs/heads/main", "refs/tags/v1"]);
      seed(repo, { ref: "refs/heads/other", to: oid(51) });
      const body = await ok(repo, "pushes/push-1");
      expect(body).toEqual({
        pushId: "push-1",
        actor: "carol",
        at: "2024-03-03T04:05:06.000Z",
        pack: { id: packId, bytes },
        options: ["ci.skip", "reviewer=dan"],
        events: (await ok(repo, "ref-log?order=asc")).events.filter((e: { pushId: string }) => e.pushId === "push-1"),
      });
      expect(body.events.map((e: { seq: number }) => e.seq)).toEqual(events.map((e) => e.seq));
    });
  });

  it("returns null for a push that brought no pack (a delete)", async () => {
    await inRepo(async (repo) => {
      recordPush(repo, "delete push", null, [], ["refs/heads/gone"]);
      expect(await ok(repo, "pushes/delete%20push")).toMatchObject({ pushId: "delete push", pack: null, options: [] });
    });
  });

  it("answers 404 for an unknown push", async () => {
    await inRepo(async (repo) => {
      seed(repo, { ref: "refs/heads/main", to: oid(1), pushId: "known" });
      const res = await api(repo, "pushes/unknown");
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "push not found", detail: { pushId: "unknown" } });
    });
  });
});
