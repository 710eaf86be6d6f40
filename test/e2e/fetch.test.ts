// Fetches into existing clones after pushes: incremental fetches over protocol v0 and v2, reads right
// after writes, a thin pack pushed on top of objects the server got from another clone, and a thin
// pack fetched: a delta on what the clone has, sent as it is stored.
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { Random } from "../../bench/harness/random";
import { expect, it } from "vitest";
import { commitFile } from "../support/fixtures";
import { fsck, git, gitTracingPackets, lsRemote, protocolArgs, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { targetName } from "../support/target";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();
const ours = targetName() === "worker";

it.each([0, 2] as const)("fetches one pushed commit into an existing clone over protocol v%i", async (protocol) => {
  const ws = await pushedWorkspace(harness, `incremental-v${protocol}`, { commits: 5 });
  const reader = await ws.clone("reader", protocol);
  const tip = await commitFile(ws.writer, "history.txt", "one more\n", "One more");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });

  const { packets } = await gitTracingPackets([...protocolArgs(protocol), "fetch", "--quiet", "origin"], { cwd: reader });
  if (protocol === 2) expect(packets, "the server answered protocol v2").toMatch(/< version 2$/m);
  else expect(packets).not.toMatch(/version 2/);
  expect(packets, "the fetch negotiated with what the clone has").toMatch(/> have [0-9a-f]{40}$/m);
  expect(await revParse(reader, "refs/remotes/origin/main")).toBe(tip);
  await fsck(reader);
});

it("shows each push to the very next ls-remote and fetch", async () => {
  const ws = await pushedWorkspace(harness, "read-your-writes");
  const reader = await ws.clone("reader");
  for (let round = 0; round < 6; round++) {
    const tip = await commitFile(ws.writer, "round.txt", `round ${round}\n`, `Round ${round}`);
    await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
    const protocol = round % 2 === 0 ? 2 : 0;
    expect((await lsRemote(ws.url, { cwd: ws.dir, protocol })).get("refs/heads/main")).toBe(tip);
    await git([...protocolArgs(protocol), "fetch", "--quiet", "origin"], { cwd: reader });
    expect(await revParse(reader, "refs/remotes/origin/main")).toBe(tip);
  }
});

it("accepts a thin pack whose delta bases are objects another clone pushed", async () => {
  const ws = await pushedWorkspace(harness, "thin-pack");
  const bigFile = Array.from({ length: 4000 }, (_, i) => `line ${i}: ${"abcdefghij".repeat(1 + (i % 7))}`);
  const write = (dir: string) => writeFile(join(dir, "big.txt"), `${bigFile.join("\n")}\n`);
  await write(ws.writer);
  await git(["add", "big.txt"], { cwd: ws.writer });
  await git(["commit", "--quiet", "-m", "Add a large file"], { cwd: ws.writer });
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  const a = await ws.clone("a");

  // B (the writer) edits the large file and pushes; A fetches that.
  bigFile[1000] = "changed by B";
  await write(ws.writer);
  await git(["commit", "--quiet", "-am", "B edits the large file"], { cwd: ws.writer });
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  await git(["pull", "--quiet", "--ff-only"], { cwd: a });

  // A edits it again: its push sends the new blob as a delta against B's blob, which is not in the pack.
  bigFile[3000] = "changed by A";
  await write(a);
  await git(["commit", "--quiet", "-am", "A edits the large file"], { cwd: a });
  const tip = await revParse(a, "HEAD");
  const { stderr } = await git(["push", "origin", "main"], { cwd: a, env: { GIT_TRACE: "1" } });
  expect(stderr, "git sent a thin pack").toMatch(/pack-objects .*--thin/);

  const fresh = await ws.clone("fresh");
  await fsck(fresh);
  expect(await revParse(fresh, "HEAD")).toBe(tip);
  expect(await readFile(join(fresh, "big.txt"), "utf8")).toBe(`${bigFile.join("\n")}\n`);
});

it.each([0, 2] as const)("sends a 1-commit fetch as a thin pack over protocol v%i: an edited file travels as a delta on the version the clone has, and both sides show git's progress", async (protocol) => {
  const ws = await pushedWorkspace(harness, `thin-fetch-v${protocol}`);
  const rng = new Random(protocol + 11);
  const lines = Array.from({ length: 4000 }, () => rng.line());
  const write = () => writeFile(join(ws.writer, "big.txt"), `${lines.join("\n")}\n`);
  await write();
  await git(["add", "big.txt"], { cwd: ws.writer });
  await git(["commit", "--quiet", "-m", "Add a large file"], { cwd: ws.writer });
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  const reader = await ws.clone("reader", protocol);

  lines[2000] = "one line changed";
  await write();
  await git(["commit", "--quiet", "-am", "Edit one line of the large file"], { cwd: ws.writer });
  const pushed = await git(["push", "--progress", "origin", "main"], { cwd: ws.writer });
  // C git's receive-pack unpacks a pack this small into loose objects, saying nothing.
  if (ours) expect(pushed.stderr).toMatch(/^remote: Resolving deltas: 100% \(1\/1\), done\./m);
  const trace = join(ws.dir, "received.pack");
  const fetched = await git([...protocolArgs(protocol), "fetch", "--progress", "origin"], { cwd: reader, env: { GIT_TRACE_PACKFILE: trace } });
  expect(fetched.stderr).toMatch(/^remote: Enumerating objects: \d+, done\./m);
  expect(fetched.stderr).toMatch(ours ? /remote: Total 3 \(delta 1\), reused 3 \(delta 1\), pack-reused 0/ : /remote: Total 3 \(delta 1\)/);
  const sent = (await stat(trace)).size;
  const wholeFile = deflateSync(`${lines.join("\n")}\n`).length;
  expect(sent, `${sent} bytes sent; the file alone compresses to ${wholeFile}`).toBeLessThan(wholeFile / 10);
  await git(["merge", "--quiet", "--ff-only", "origin/main"], { cwd: reader });
  await fsck(reader);
  expect(await readFile(join(reader, "big.txt"), "utf8")).toBe(`${lines.join("\n")}\n`);
});
