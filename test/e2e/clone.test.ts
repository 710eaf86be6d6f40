// Clones over protocol v2 (git's default) and v0: a rich history, a repository with more than 500 refs
// and a submodule, a repository whose refs were all deleted, and a repository that does not exist.
import { join } from "node:path";
import { expect, it } from "vitest";
import { clonedRefs, commitFile, makeManyRefsRepo, makeRichRepo } from "../support/fixtures";
import { forEachRef, fsck, git, gitFails, gitTracingPackets, lsRemote, protocolArgs } from "../../bench/harness/git";
import { useHarness } from "../support/harness";

const harness = useHarness();

/** Pushes every branch and tag of the bare repository `source` to `url` in one push. */
async function pushEverything(source: string, url: string): Promise<void> {
  await git(["push", "--quiet", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], { cwd: source });
}

/**
 * Clones `url` twice into `work` and checks both against the refs of `source`: a regular clone over v2
 * (HEAD checked out, remote-tracking refs) and a mirror clone over v0 (the server's refs verbatim).
 * Returns the path of the regular clone.
 */
async function cloneBothWays(url: string, source: string, work: string): Promise<string> {
  const expected = await forEachRef(source);

  const regular = join(work, "clone-v2");
  const { packets } = await gitTracingPackets(["clone", "--quiet", url, regular], { cwd: work });
  expect(packets, "the server answered protocol v2").toMatch(/< version 2$/m);
  await fsck(regular);
  expect(await clonedRefs(regular)).toEqual(expected);
  expect((await git(["symbolic-ref", "HEAD"], { cwd: regular })).stdout.trim()).toBe("refs/heads/main");
  expect((await git(["status", "--porcelain"], { cwd: regular })).stdout).toBe("");

  const mirror = join(work, "mirror-v0.git");
  await git([...protocolArgs(0), "clone", "--quiet", "--mirror", url, mirror], { cwd: work });
  await fsck(mirror);
  expect(await forEachRef(mirror)).toEqual(expected);
  expect((await git(["symbolic-ref", "HEAD"], { cwd: mirror })).stdout.trim()).toBe("refs/heads/main");
  return regular;
}

it("clones a pushed history with branches, merges, tags, renames and binary files", async () => {
  const work = await harness.workdir("rich");
  const source = join(work, "source.git");
  await makeRichRepo(source);
  const url = harness.repoUrl("rich");
  await pushEverything(source, url);
  await cloneBothWays(url, source, work);
});

it("clones a repository with more than 500 refs and a submodule gitlink", async () => {
  const work = await harness.workdir("many-refs");
  const source = join(work, "source.git");
  await makeManyRefsRepo(source, { refs: 520 });
  const url = harness.repoUrl("many-refs");
  await pushEverything(source, url);
  const clone = await cloneBothWays(url, source, work);
  const gitlink = (await git(["ls-tree", "HEAD", "vendor/lib"], { cwd: clone })).stdout;
  const expected = (await git(["ls-tree", "main", "vendor/lib"], { cwd: source })).stdout;
  expect(gitlink).toMatch(/^160000 commit [0-9a-f]{40}\tvendor\/lib\n$/);
  expect(gitlink).toBe(expected);
});

it("clones a repository whose refs were all deleted as an empty repository", async () => {
  const work = await harness.workdir("emptied");
  const url = harness.repoUrl("emptied");
  const source = join(work, "source");
  await git(["init", "--quiet", source], { cwd: work });
  await commitFile(source, "a.txt", "a\n", "First");
  // Not main: C git refuses to delete the branch HEAD names (receive.denyDeleteCurrent), a policy this suite leaves open.
  await git(["push", "--quiet", url, "main:refs/heads/wip"], { cwd: source });
  await git(["push", "--quiet", url, "--delete", "wip"], { cwd: source });
  expect([...(await lsRemote(url, { cwd: work })).keys()]).toEqual([]);
  for (const protocol of [2, 0] as const) {
    const clone = join(work, `clone-v${protocol}`);
    const { stderr } = await git([...protocolArgs(protocol), "clone", url, clone], { cwd: work });
    expect(stderr).toContain("You appear to have cloned an empty repository");
    expect(await forEachRef(clone)).toEqual([]);
  }
});

it("fails to clone a repository that does not exist", async () => {
  const work = await harness.workdir("missing");
  for (const protocol of [2, 0] as const) {
    const url = harness.repoUrl("never-pushed");
    const result = await gitFails([...protocolArgs(protocol), "clone", url, join(work, "clone")], { cwd: work });
    expect(result.stderr).toContain("not found");
  }
});
