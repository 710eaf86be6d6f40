// Ref updates other than fast-forwards: forced rewrites and rewinds, branch deletion, and tags
// (annotated, lightweight) with their peeled values in the advertisement.
import { expect, it } from "vitest";
import { forEachRef, fsck, git, lsRemote, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();

it("force-pushes a rewritten main, then a rewind, and clones and fetches show each new tip", async () => {
  const ws = await pushedWorkspace(harness, "force-push", { commits: 3 });
  const reader = await ws.clone("reader");

  await git(["commit", "--quiet", "--amend", "-m", "Commit 2, rewritten"], { cwd: ws.writer });
  const amended = await revParse(ws.writer, "HEAD");
  await git(["push", "--quiet", "--force", "origin", "main"], { cwd: ws.writer });
  expect((await lsRemote(ws.url, { cwd: ws.dir })).get("refs/heads/main")).toBe(amended);
  await git(["fetch", "--quiet", "origin"], { cwd: reader });
  expect(await revParse(reader, "refs/remotes/origin/main")).toBe(amended);

  // A rewind to a commit the server has: the pushed pack holds no objects.
  await git(["reset", "--quiet", "--hard", "HEAD~1"], { cwd: ws.writer });
  const rewound = await revParse(ws.writer, "HEAD");
  await git(["push", "--quiet", "--force", "origin", "main"], { cwd: ws.writer });
  await git(["fetch", "--quiet", "origin"], { cwd: reader });
  expect(await revParse(reader, "refs/remotes/origin/main")).toBe(rewound);

  const fresh = await ws.clone("fresh");
  expect(await revParse(fresh, "HEAD")).toBe(rewound);
  await fsck(fresh);
});

it("deletes a branch", async () => {
  const ws = await pushedWorkspace(harness, "delete-branch", { branches: ["feature/a", "feature/b"] });
  const before = await lsRemote(ws.url, { cwd: ws.dir });
  expect(before.has("refs/heads/feature/a")).toBe(true);

  await git(["push", "--quiet", "origin", "--delete", "feature/a"], { cwd: ws.writer });
  const after = await lsRemote(ws.url, { cwd: ws.dir });
  before.delete("refs/heads/feature/a");
  expect(new Map([...after].sort())).toEqual(new Map([...before].sort()));
});

it("pushes annotated and lightweight tags, advertised with the peeled commit of the annotated one", async () => {
  const ws = await pushedWorkspace(harness, "tags", { commits: 3 });
  await git(["tag", "--annotate", "-m", "Version 1.0", "v1.0"], { cwd: ws.writer });
  await git(["tag", "snapshot", "HEAD~1"], { cwd: ws.writer });
  await git(["push", "--quiet", "origin", "--tags"], { cwd: ws.writer });

  const expected = {
    "refs/tags/snapshot": await revParse(ws.writer, "snapshot"),
    "refs/tags/v1.0": await revParse(ws.writer, "v1.0"),
    "refs/tags/v1.0^{}": await revParse(ws.writer, "v1.0^{commit}"),
  };
  for (const protocol of [0, 2] as const) {
    const tags = [...(await lsRemote(ws.url, { cwd: ws.dir, protocol }))].filter(([name]) => name.startsWith("refs/tags/"));
    expect(Object.fromEntries(tags), `ls-remote over protocol v${protocol}`).toEqual(expected);
  }

  const clone = await ws.clone("clone");
  expect(await forEachRef(clone, "refs/tags/")).toEqual(await forEachRef(ws.writer, "refs/tags/"));
  await fsck(clone);
});

it("lists the pushed refs for ls-remote in both protocols alike", async () => {
  const ws = await pushedWorkspace(harness, "ls-remote", { branches: ["topic"] });
  const v0 = await lsRemote(ws.url, { cwd: ws.dir, protocol: 0 });
  const v2 = await lsRemote(ws.url, { cwd: ws.dir, protocol: 2 });
  expect(v0.get("HEAD")).toBe(await revParse(ws.writer, "main"));
  expect(v0.get("refs/heads/topic")).toBe(await revParse(ws.writer, "topic"));
  expect(new Map([...v2].sort())).toEqual(new Map([...v0].sort()));
  expect((await git(["ls-remote", "--symref", ws.url, "HEAD"], { cwd: ws.dir })).stdout).toContain(
    "ref: refs/heads/main\tHEAD",
  );
});
