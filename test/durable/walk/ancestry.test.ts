import { describe, expect, it } from "vitest";
import { reaches } from "../../../durable/walk/ancestry";
import { HEAD } from "../../fixtures/packs";
import { storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

describe("reaches", () => {
  it("finds ancestors along parents, and not descendants or unrelated commits", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const [first, , third] = commits.slice().reverse();
      expect(await reaches(repo.store, HEAD, first!)).toBe(true);
      expect(await reaches(repo.store, HEAD, third!)).toBe(true);
      expect(await reaches(repo.store, first!, HEAD)).toBe(false);
      expect(await reaches(repo.store, HEAD, "0".repeat(40))).toBe(false);
    });
  });

  it("agrees with isomorphic-git's walk, which serves short fast-forward checks", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      for (const ancestor of commits) expect(await repo.isDescendent(HEAD, ancestor)).toBe(await reaches(repo.store, HEAD, ancestor));
    });
  });
});
