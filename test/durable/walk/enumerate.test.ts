// The object walk (durable/walk/enumerate.ts) over the fixture pack's 6 commits in a line, each with
// its own tree and two blobs of its own: what the wants reach minus what the haves reach, a tag want
// with its target, include-tag, and a shallow selection of depth 1.
import { describe, expect, it } from "vitest";
import { parseCommit, parseTree } from "../../../durable/pack/parse-object";
import type { Repository } from "../../../durable/repository";
import { ObjectWalk, type Deepen } from "../../../durable/walk/enumerate";
import { HEAD, OBJECT_COUNT, TAG } from "../../fixtures/packs";
import { storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

/** A commit, its tree and the blobs in it (the fixture's trees are flat). */
async function snapshot(repo: Repository, commit: string): Promise<string[]> {
  const { tree } = parseCommit((await repo.store.read(commit))!.data);
  return [commit, tree, ...parseTree((await repo.store.read(tree))!.data).map((e) => e.oid)];
}

/** The objects a walk from `wants` minus `haves` sends, sorted, and the shallow update it made. */
async function walk(repo: Repository, wants: string[], haves: string[] = [], deepen?: Deepen) {
  const w = new ObjectWalk(repo.store);
  const update = await w.selectCommits(wants, haves, deepen);
  await w.collectObjects();
  expect(w.sending.oids()).toHaveLength(w.sending.count);
  return { sent: w.sending.oids().sort(), update, walk: w };
}

async function snapshots(repo: Repository, commits: string[]): Promise<string[]> {
  return (await Promise.all(commits.map((c) => snapshot(repo, c)))).flat().sort();
}

describe("ObjectWalk", () => {
  it("sends the whole history of a want when the client has nothing", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const { sent, update } = await walk(repo, [HEAD]);
      expect(sent).toEqual(await snapshots(repo, commits));
      expect(sent).toHaveLength(OBJECT_COUNT - 1);
      expect(update).toEqual({ shallow: [], unshallow: [] });
    });
  });

  it("sends what the wants reach minus what the haves reach", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      // commits are newest first: the client has the first three, and gets the last three.
      expect((await walk(repo, [HEAD], [commits[3]!])).sent).toEqual(await snapshots(repo, commits.slice(0, 3)));
      expect((await walk(repo, [commits[1]!], [commits[4]!])).sent).toEqual(await snapshots(repo, commits.slice(1, 4)));
      expect((await walk(repo, [HEAD], [HEAD])).sent).toEqual([]);
      // A have the server does not store is ignored.
      expect((await walk(repo, [HEAD], ["1".repeat(40)])).sent).toEqual(await snapshots(repo, commits));
    });
  });

  it("sends a wanted tag with its target and the target's history", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const { sent } = await walk(repo, [TAG]);
      expect(sent).toEqual([...(await snapshots(repo, commits)), TAG].sort());
      expect(sent).toHaveLength(OBJECT_COUNT);
      // The client that has the tagged commit still gets the tag itself.
      expect((await walk(repo, [TAG], [HEAD])).sent).toEqual([TAG]);
    });
  });

  it("adds a tag with includeTag only when its target is sent", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const sending = (await walk(repo, [HEAD], [commits[2]!])).walk;
      await sending.includeTag(TAG);
      expect(sending.sending.has(TAG)).toBe(true);
      const older = (await walk(repo, [commits[1]!])).walk;
      await older.includeTag(TAG);
      expect(older.sending.has(TAG)).toBe(false);
    });
  });

  it("at depth 1 sends the wanted commit's snapshot alone and makes it shallow", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      const { sent, update } = await walk(repo, [HEAD], [], { depth: 1, clientShallow: [] });
      expect(sent).toEqual((await snapshot(repo, HEAD)).sort());
      expect(update).toEqual({ shallow: [HEAD], unshallow: [] });
    });
  });

  it("deepens a shallow client: the commits below its boundary are sent and the boundary is unshallow", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const { sent, update } = await walk(repo, [HEAD], [HEAD], { depth: 3, clientShallow: [HEAD] });
      expect(sent).toEqual(await snapshots(repo, commits.slice(1, 3)));
      expect(update).toEqual({ shallow: [commits[2]], unshallow: [HEAD] });
    });
  });

  it("refuses a want that is not stored", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      await expect(new ObjectWalk(repo.store).selectCommits(["1".repeat(40)], [])).rejects.toThrow(/not in the repository/);
    });
  });
});
