// Big files with the real git CLI, the streamed paths made quick by a small BIG_OBJECT_BYTES: a
// 20 MiB incompressible file in two revisions (the second a delta of the first) is pushed, cloned
// and fetched, and the clone is fsck-clean; a file over MAX_OBJECT_BYTES is refused with its path,
// the size and a pointer to Git LFS, and the refs stay as they were.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { Random } from "../../bench/harness/random";
import { fsck, git, gitFails, lsRemote, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { lfsGitEnv } from "../support/lfs-git";
import { targetName } from "../support/target";
import { pushedWorkspace } from "../support/workspace";

const MiB = 1024 * 1024;
const harness = useHarness({ vars: { BIG_OBJECT_BYTES: String(MiB), MAX_OBJECT_BYTES: String(24 * MiB) } });
const random = new Random(20);

async function commitBytes(dir: string, path: string, data: Uint8Array, message: string): Promise<void> {
  await writeFile(join(dir, path), data);
  await git(["add", path], { cwd: dir });
  await git(["commit", "--quiet", "-m", message], { cwd: dir });
}

it("pushes, clones and fetches a 20 MiB file in two revisions", { timeout: 240_000 }, async () => {
  const ws = await pushedWorkspace(harness, "big");
  const first = random.bytes(20 * MiB);
  await commitBytes(ws.writer, "assets.bin", first, "Add a big binary");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  const clone = await ws.clone("clone");
  const second = new Uint8Array(first);
  second.set(random.bytes(4096), 5 * MiB);
  await commitBytes(ws.writer, "assets.bin", second, "Change the big binary");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  await git(["pull", "--quiet", "--ff-only"], { cwd: clone });
  expect(await revParse(clone, "HEAD")).toBe(await revParse(ws.writer, "HEAD"));
  await fsck(clone);
  const fresh = await ws.clone("fresh");
  await fsck(fresh);
  expect(await revParse(fresh, "HEAD:assets.bin")).toBe(await revParse(ws.writer, "HEAD:assets.bin"));
});

it.skipIf(targetName() === "cgit")("refuses a file over MAX_OBJECT_BYTES, naming it and pointing to Git LFS", { timeout: 120_000 }, async () => {
  const ws = await pushedWorkspace(harness, "too-big");
  const before = await lsRemote(ws.url, { cwd: ws.dir });
  await git(["checkout", "--quiet", "-b", "media"], { cwd: ws.writer });
  await writeFile(join(ws.writer, "video.bin"), random.bytes(25 * MiB));
  await git(["add", "video.bin"], { cwd: ws.writer });
  await git(["commit", "--quiet", "-m", "Add a video"], { cwd: ws.writer });
  const refused = await gitFails(["push", "origin", "media"], { cwd: ws.writer });
  expect(refused.stderr).toContain("remote: error: File video.bin is 25 MiB; this exceeds the limit of 24 MiB. Use Git LFS for large files: git lfs migrate import --include=video.bin and push again.");
  expect(refused.stderr).toContain("! [remote rejected] media -> media");
  expect(await lsRemote(ws.url, { cwd: ws.dir })).toEqual(before);

  // The advice, followed as written: the file becomes a pointer in the unpushed commit, its bytes go to LFS.
  const env = await lfsGitEnv(ws.dir);
  await git(["lfs", "install", "--local"], { cwd: ws.writer, env });
  await git(["lfs", "migrate", "import", "--include=video.bin"], { cwd: ws.writer, env });
  await git(["push", "--quiet", "origin", "media"], { cwd: ws.writer, env });
  expect((await git(["cat-file", "-p", "origin/media:video.bin"], { cwd: ws.writer })).stdout).toMatch(/^version https:\/\/git-lfs.github.com\/spec\/v1\n/);
});
