// The meta table's owner (durable/store/meta.ts), in a fresh repository: get, set, set-once, add
// and delete of a key's value.
import { describe, expect, it } from "vitest";
import { metaAdd, metaDelete, metaGet, metaInit, metaSet } from "../../../durable/store/meta";
import { inRepo } from "../../../bench/harness/in-repo";

describe("meta", () => {
  it("has no value for a key never set, and the last value set otherwise", async () => {
    await inRepo((repo) => {
      expect(metaGet(repo.sql, "whole_reuse_off")).toBeUndefined();
      metaSet(repo.sql, "whole_reuse_off", "first");
      metaSet(repo.sql, "whole_reuse_off", "second");
      expect(metaGet(repo.sql, "whole_reuse_off")).toBe("second");
    });
  });

  it("sets a value once with metaInit, keeping one already there", async () => {
    await inRepo((repo) => {
      metaInit(repo.sql, "whole_reuse_off", "force of refs/heads/main");
      metaInit(repo.sql, "whole_reuse_off", "delete of refs/heads/dev");
      expect(metaGet(repo.sql, "whole_reuse_off")).toBe("force of refs/heads/main");
    });
  });

  it("adds to a number, starting from 0 when absent", async () => {
    await inRepo((repo) => {
      metaAdd(repo.sql, "archived_bytes", 1000);
      metaAdd(repo.sql, "archived_bytes", 234);
      metaAdd(repo.sql, "archived_bytes", -34);
      expect(Number(metaGet(repo.sql, "archived_bytes"))).toBe(1200);
    });
  });

  it("deletes the keys given and no others", async () => {
    await inRepo((repo) => {
      metaSet(repo.sql, "archived_bytes", "5");
      metaSet(repo.sql, "archive_queued_at", "7");
      metaSet(repo.sql, "cruft_pack", "3");
      metaDelete(repo.sql, "archived_bytes", "cruft_pack", "whole_reuse_off");
      expect([metaGet(repo.sql, "archived_bytes"), metaGet(repo.sql, "archive_queued_at"), metaGet(repo.sql, "cruft_pack")]).toEqual([undefined, "7", undefined]);
    });
  });

  it("keeps the values the repository itself writes there", async () => {
    await inRepo((repo) => {
      expect(repo.exists()).toBe(false);
      repo.create("o/r");
      repo.create("o/other");
      expect(metaGet(repo.sql, "name")).toBe("o/r");
      expect(new Date(metaGet(repo.sql, "created")!).getTime()).toBeLessThanOrEqual(Date.now());
      expect(repo.exists()).toBe(true);
    });
  });
});
