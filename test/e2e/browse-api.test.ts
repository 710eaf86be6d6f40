// The browse API against C git on the same history: a generated repository with merges, renames with
// edits, binaries, a symlink and tags is pushed, then every answer is compared with what git prints
// for the same question: git log (whole, and limited to paths, with git's merge simplification),
// git ls-tree -l, git diff -M --name-status and --numstat, git rev-list --left-right --count,
// git merge-base, git cat-file; and a tree as of an event of the ref log before a force-push. History
// and comparisons are checked both before and after the commit graph is built.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { git, gitEnv } from "../../bench/harness/git";
import { makeRichRepo } from "../support/fixtures";
import { useHarness } from "../support/harness";
import { targetName } from "../support/target";

const run = promisify(execFile);
const harness = useHarness();
let source: string;
let base: string;

beforeAll(async () => {
  if (targetName() !== "worker") return;
  source = join(await harness.workdir("browse"), "source.git");
  await makeRichRepo(source);
  const url = harness.repoUrl("browse");
  await git(["push", "--quiet", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], { cwd: source });
  base = url.replace(/\/alice\/browse\.git$/, "/api/repos/alice/browse");
});

async function api(path: string): Promise<any> {
  const res = await fetch(`${base}/${path}`);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** POST housekeeping: the commit graph gets a row for every commit the refs reach. */
async function buildGraph(): Promise<void> {
  const res = await fetch(`${base}/housekeeping`, { method: "POST" });
  expect(res.status).toBe(200);
  const health = await api("health");
  expect(health.commitGraph).toMatchObject({ tipsWithout: 0 });
  expect(health.commitGraph.commits).toBeGreaterThan(0);
}

const lines = async (...args: string[]) => (await git(args, { cwd: source })).stdout.split("\n").filter(Boolean);

/** Every commit the API lists for `query`, following nextCursor. */
async function allCommits(query: string): Promise<string[]> {
  const oids: string[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: { commits: { oid: string }[]; nextCursor: string | null } = await api(`commits?${query}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    oids.push(...page.commits.map((c) => c.oid));
    cursor = page.nextCursor;
  }
  return oids;
}

describe.skipIf(targetName() !== "worker")("the browse API against C git", () => {
  // Twice: as pushed, walked from the commits themselves (housekeeping may build the commit graph
  // meanwhile, so some of it may be used), then with the commit graph built for every commit.
  for (const graph of ["as pushed", "with the commit graph"]) {
    it(`lists history as git log does, whole and limited to paths (${graph})`, async () => {
      if (graph !== "as pushed") await buildGraph();
      expect(await allCommits("ref=main")).toEqual(await lines("log", "--format=%H", "main"));
      for (const path of ["docs", "docs/archive", "src/module-0.txt", "src/feature-b.txt", "assets/image-1.bin", "CHANGELOG-1.x.md", "nothing/here"]) {
        expect(await allCommits(`ref=main&path=${encodeURIComponent(path)}`), path).toEqual(await lines("log", "--format=%H", "main", "--", path));
      }
      expect(await allCommits("ref=release/1.x&path=src")).toEqual(await lines("log", "--format=%H", "release/1.x", "--", "src"));
    });

    it(`counts ahead and behind as git rev-list --left-right --count does (${graph})`, async () => {
      if (graph !== "as pushed") await buildGraph();
      for (const [a, b] of [["main", "feature/a"], ["release/1.x", "main"], ["v0.1", "v2.0"], ["feature/b", "feature/a"]]) {
        const [behind, ahead] = (await lines("rev-list", "--left-right", "--count", `${a}...${b}`))[0]!.split("\t").map(Number);
        const body = await api(`compare/${encodeURIComponent(`${a}...${b}`)}`);
        expect({ behind: body.behindBy, ahead: body.aheadBy }, `${a}...${b}`).toEqual({ behind, ahead });
        expect(body.mergeBase).toBe((await lines("merge-base", a!, b!))[0]);
        expect(body.commits.map((c: any) => c.oid)).toEqual(await lines("rev-list", `${a}..${b}`));
        expect(body.files.map((f: any) => `${f.status[0]!.toUpperCase()}\t${f.previousPath ? `${f.previousPath}\t` : ""}${f.path}`)).toEqual(
          (await lines("diff", "-M", "--name-status", body.mergeBase, b!)).map((l) => l.replace(/^R\d+/, "R")),
        );
        expect(body.files[0]?.patch).toBeUndefined();
        const patched = await api(`compare/${encodeURIComponent(`${a}...${b}`)}?patch=1`);
        expect(patched.files.map((f: any) => f.path)).toEqual(body.files.map((f: any) => f.path));
        if (patched.files.length > 0) expect(patched.files.some((f: any) => f.patch !== undefined || f.binary)).toBe(true);
      }
    });
  }

  it("shows a commit as git log -1 does, and pages with a Link header", async () => {
    const page = await fetch(`${base}/commits?ref=v1.0&limit=2`);
    expect(page.headers.get("Link")).toMatch(/^<\/api\/repos\/alice\/browse\/commits\?ref=v1\.0&limit=2&cursor=[^>]+>; rel="next"$/);
    const [first] = ((await page.json()) as { commits: any[] }).commits;
    const [oid, parents, name, email, date, subject] = (await lines("log", "-1", "--format=%H%n%P%n%an%n%ae%n%aI%n%s", "v1.0"));
    expect(first).toMatchObject({ oid, parents: parents!.split(" "), author: { name, email, date }, summary: subject });
  });

  it("lists trees as git ls-tree -l does", async () => {
    for (const path of ["", "src", "docs/archive"]) {
      const tree = await api(`tree/main/${path}`);
      const expected = (await lines("ls-tree", "-l", path ? `main:${path}` : "main")).map((l) => {
        const [meta, name] = l.split("\t");
        const [mode, type, oid, size] = meta!.split(/\s+/);
        return { name, mode, type, oid, size: size === "-" ? null : Number(size) };
      });
      expect(tree.entries.map((e: any) => ({ name: e.name, mode: e.mode, type: e.type, oid: e.oid, size: e.size })), path || "root").toEqual(expected);
    }
    const recursive = await api("tree/release/1.x/?recursive=1");
    expect(recursive.entries.filter((e: any) => e.type === "blob").map((e: any) => e.path)).toEqual(await lines("ls-tree", "-r", "--name-only", "release/1.x"));
  });

  it("lists a commit's changed files as git diff -M does, with its line counts", async () => {
    const commits = await lines("log", "--format=%H", "--first-parent", "main");
    for (const oid of commits.filter((_, i) => i % 5 === 0 || i === commits.length - 1)) {
      const parent = (await lines("rev-list", "--parents", "-n", "1", oid))[0]!.split(" ")[1];
      const range = parent ? [parent, oid] : ["4b825dc642cb6eb9a060e54bf8d69288fbee4904", oid];
      const status = await lines("diff", "-M", "--name-status", ...range);
      const numstat = await lines("diff", "-M", "--numstat", ...range);
      const body = await api(`commits/${oid}`);
      const shown = body.files.map((f: any) => (f.status === "renamed" ? `R\t${f.previousPath}\t${f.path}` : `${f.status[0].toUpperCase()}\t${f.path}`));
      expect(shown, oid).toEqual(status.map((l) => l.replace(/^R\d+/, "R")));
      expect(body.files.map((f: any) => (f.binary ? "-\t-" : `${f.additions}\t${f.deletions}`)), oid).toEqual(numstat.map((l) => l.split("\t").slice(0, 2).join("\t")));
    }
  });

  it("serves file contents as git cat-file does", async () => {
    const raw = await fetch(`${base}/raw/main/assets/image-2.bin`);
    expect(raw.headers.get("ETag")).toBe(`"${(await lines("rev-parse", "main:assets/image-2.bin"))[0]}"`);
    const { stdout } = await run("git", ["cat-file", "blob", "main:assets/image-2.bin"], { cwd: source, encoding: "buffer", env: gitEnv() });
    expect(Buffer.compare(Buffer.from(await raw.arrayBuffer()), stdout)).toBe(0);
    const blob = await api("blob/v1.0/src/module-3.txt");
    expect(blob.content).toBe((await git(["cat-file", "blob", "v1.0:src/module-3.txt"], { cwd: source })).stdout);
    expect(blob.binary).toBe(false);
  });

  it("shows a tree as of an event before a force-push", async () => {
    const before = (await api("refs")).seq;
    const oldTree = await api("tree/main/src");
    const work = await harness.workdir("browse-force");
    await git(["clone", "--quiet", harness.repoUrl("browse"), work], { cwd: work });
    await git(["push", "--quiet", "--force", "origin", "main~40:main"], { cwd: work });
    const now = await api("tree/main/src");
    expect(now.commit).not.toBe(oldTree.commit);
    const then = await api(`tree/main/src?at=${before}`);
    expect(then).toEqual(oldTree);
    await git(["push", "--quiet", "--force", "origin", `${oldTree.commit}:main`], { cwd: work });
  });
});
