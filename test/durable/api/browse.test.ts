// The browse routes' refusals and rules on the fixture's history (durable/api/browse/): 404s that
// name what was not found (as of an event, too), 400s for bad parameters, short ids, and 304 for a
// matching ETag once the ref is resolved.
import { describe, expect, it } from "vitest";
import { inRepo } from "../../../bench/harness/in-repo";
import { api, call, seed, storeFixturePack } from "../../support/workerd/api";

async function fixture<T>(body: (repo: Parameters<Parameters<typeof inRepo>[0]>[0], commits: string[]) => Promise<T>): Promise<T> {
  return inRepo(async (repo) => {
    const { commits } = await storeFixturePack(repo);
    seed(repo, { ref: "refs/heads/main", to: commits[1]! }, { ref: "refs/tags/v1", to: commits[0]! }, { ref: "refs/heads/main", to: commits[0]! });
    return body(repo, commits);
  });
}

describe("browse routes", () => {
  it("answer 404 naming the revision or path that is missing", async () => {
    await fixture(async (repo) => {
      const root = (await api(repo, "tree/main")).body;
      const dir = root.entries.find((e: { type: string }) => e.type === "tree");
      const file = root.entries.find((e: { type: string }) => e.type === "blob");
      const cases: [string, RegExp][] = [
        ["tree/nope", /^no branch, tag or commit 'nope'$/],
        ["tree/main/no/such", /^no path 'no\/such' in main$/],
        [`tree/main/${file.path}`, /is a file, not a directory/],
        ["blob/main/", /is not a file/],
        ["commits?ref=v1&at=1", /^no branch, tag or commit 'v1' as of event 1$/],
        ["commits/ffffffffff", /^no branch, tag or commit 'ffffffffff'$/],
      ];
      if (dir) cases.push([`blob/main/${dir.path}`, /is not a file/]);
      for (const [path, error] of cases) {
        const res = await api(repo, path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.body.error).toMatch(error);
      }
    });
  });

  it("answer 400 for bad parameters", async () => {
    await fixture(async (repo) => {
      for (const [path, parameter] of [["commits?limit=0", "limit"], ["commits?limit=101", "limit"], ["commits?cursor=abc", "cursor"], ["commits?path=a/../b", "path"], ["commits?since=yesterday", "since"], ["commits?colour=red", "colour"], ["branches?cursor=%%%", "cursor"], ["compare/main", "spec"], ["tree/main?at=soon", "at"]]) {
        const res = await api(repo, path!);
        expect([path, res.status, res.body.error]).toEqual([path, 400, `invalid parameter '${parameter}'`]);
      }
    });
  });

  it("resolve short ids, tags and past refs", async () => {
    await fixture(async (repo, commits) => {
      expect((await api(repo, `commits?ref=${commits[1]!.slice(0, 7)}&limit=1`)).body.commits[0].oid).toBe(commits[1]);
      expect((await api(repo, "commits?ref=v1&limit=1")).body).toMatchObject({ ref: "refs/tags/v1", commit: commits[0] });
      expect((await api(repo, "tree/main?at=1")).body.commit).toBe(commits[1]);
      expect((await api(repo, "tree/main")).body.commit).toBe(commits[0]);
      expect((await api(repo, "tags?at=1")).body.tags).toEqual([]);
      expect((await api(repo, "commits?ref=main~2&limit=1")).body.commits[0].oid).toBe(commits[2]);
      expect((await api(repo, "commits?ref=v1^^&limit=1")).body.commits[0].oid).toBe(commits[2]);
      expect((await api(repo, "commits?ref=main^2")).status).toBe(404);
    });
  });

  it("answer 304 to a matching If-None-Match, and change the ETag when the ref moves", async () => {
    await fixture(async (repo, commits) => {
      const first = await call(repo, "tree/main");
      const etag = first.headers.get("ETag")!;
      expect(etag).toBe(`"${commits[0]}"`);
      expect((await call(repo, "tree/main", { headers: { "If-None-Match": etag } })).status).toBe(304);
      expect((await call(repo, "tree/main?at=1", { headers: { "If-None-Match": etag } })).status).toBe(200);
      expect(first.headers.get("Cache-Control")).toBe("private, no-cache");
    });
  });
});
