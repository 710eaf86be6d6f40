// The object store's counts by type (durable/store/objects.ts, typeCounts), over the fixture pack: what
// a filtered clone picked from whole packs announces in its pack header.
import { describe, expect, it } from "vitest";
import { OBJ_BLOB } from "../../../durable/pack/types";
import { Pacer } from "../../../durable/pacing";
import { storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

describe("ObjectStore.typeCounts", () => {
  it("counts a pack's entries by type, blobs split at a size, with every type the index holds", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      const rows = repo.sql.exec<{ type: number; size: number }>("SELECT type, size FROM objects").toArray();
      const packIds = repo.packs.all().map((p) => p.id);
      const limit = 100;
      const counts = await repo.store.typeCounts(packIds, limit, new Pacer(1));
      const expected = new Map<string, number>();
      for (const r of rows) {
        const key = `${r.type}:${r.size < limit}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      expect(new Map(counts.map((c) => [`${c.type}:${c.small}`, c.count]))).toEqual(expected);
      expect(counts.some((c) => c.type === OBJ_BLOB)).toBe(true);
      expect(await repo.store.typeCounts([], limit, new Pacer(1))).toEqual([]);
    });
  });
});
