// Shallow clones and fetches (technical-shallow.adoc): --depth over v0 and v2,
// deepening an existing shallow clone with --depth, a fetch into it after a push, and --unshallow.
import { join } from "node:path";
import { expect, it } from "vitest";
import { commitFile } from "../support/fixtures";
import { fsck, git, protocolArgs, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();

const depthOf = async (dir: string) => Number((await git(["rev-list", "--count", "HEAD"], { cwd: dir })).stdout.trim());

it.each([0, 2] as const)("clones --depth 1, deepens, and fetches a new commit into the shallow clone over protocol v%i", async (protocol) => {
  const ws = await pushedWorkspace(harness, `shallow-v${protocol}`, { commits: 6 });
  const clone = join(ws.dir, "shallow");
  await git([...protocolArgs(protocol), "clone", "--quiet", "--depth", "1", ws.url, clone], { cwd: ws.dir });
  expect(await depthOf(clone)).toBe(1);
  expect((await git(["rev-parse", "--is-shallow-repository"], { cwd: clone })).stdout.trim()).toBe("true");
  await fsck(clone);

  await git([...protocolArgs(protocol), "fetch", "--quiet", "--depth", "3"], { cwd: clone });
  expect(await depthOf(clone)).toBe(3);
  await fsck(clone);

  const tip = await commitFile(ws.writer, "history.txt", "after the shallow clone\n", "One more");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  await git([...protocolArgs(protocol), "fetch", "--quiet", "origin"], { cwd: clone });
  expect(await revParse(clone, "refs/remotes/origin/main")).toBe(tip);
  await git([...protocolArgs(protocol), "fetch", "--quiet", "--unshallow"], { cwd: clone });
  expect((await git(["rev-parse", "--is-shallow-repository"], { cwd: clone })).stdout.trim()).toBe("false");
  await fsck(clone);
});
