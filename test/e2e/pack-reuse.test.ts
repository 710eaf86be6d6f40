// Full clones served from whole stored packs (store/whole-reuse.ts), by the history walk once a
// forced update may have left objects unreachable, and whole again after housekeeping repacks; and a
// push whose pack links to an object nobody sent, refused with nothing stored. The progress lines that tell the two clone paths apart are this
// server's own, so those checks run against the worker only.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { apiBase, getJson } from "../support/api";
import { makeRichRepo } from "../support/fixtures";
import { forEachRef, fsck, git, lsRemote, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { targetName } from "../support/target";

const harness = useHarness();
const ours = targetName() === "worker";

/** A bare clone with the server's progress lines; returns them. */
async function cloneWithProgress(url: string, dir: string, cwd: string): Promise<string> {
  const { stderr } = await git(["clone", "--bare", "--progress", url, dir], { cwd });
  await git(["fsck", "--strict", "--no-dangling"], { cwd: dir });
  return stderr;
}

it("serves a full clone from the stored packs whole, a thin one included, until a forced update", async () => {
  const work = await harness.workdir("whole");
  const source = join(work, "source.git");
  await makeRichRepo(source);
  const url = harness.repoUrl("whole");
  // Two pushes, so two packs; the second is thin (deltas against objects of the first).
  await git(["push", "--quiet", url, "main~40:refs/heads/main"], { cwd: source });
  await git(["push", "--quiet", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], { cwd: source });

  const whole = await cloneWithProgress(url, join(work, "whole.git"), work);
  expect(await forEachRef(join(work, "whole.git"))).toEqual(await forEachRef(source));
  if (ours) expect(whole).toMatch(/remote: Total \d+, reused \d+, pack-reused \d+ \(2 stored packs sent whole\)/);

  const rewound = await revParse(source, "main~1");
  await git(["push", "--quiet", "--force", url, `${rewound}:refs/heads/main`], { cwd: source });
  const walked = await cloneWithProgress(url, join(work, "walked.git"), work);
  expect(await revParse(join(work, "walked.git"), "refs/heads/main")).toBe(rewound);
  if (ours) expect(walked).toMatch(/remote: Total \d+ \(delta \d+\), reused \d+ \(delta \d+\), pack-reused 0/);
  await expectOnlyReachable(join(work, "walked.git"));

  // Rewound further, then pushed back: the push resends objects the store holds already, and the
  // next clone sends each of them once.
  await git(["push", "--quiet", "--force", url, "main~20:refs/heads/main"], { cwd: source });
  await git(["push", "--quiet", url, "main:refs/heads/main"], { cwd: source });
  await cloneWithProgress(url, join(work, "resent.git"), work);
  expect(await forEachRef(join(work, "resent.git"))).toEqual(await forEachRef(source));
  await expectOnlyReachable(join(work, "resent.git"));
});

it.skipIf(!ours)("repacks on housekeeping: full clones send the stored pack whole again, and unreachable objects stay for a restore", async () => {
  const work = await harness.workdir("housekeeping");
  const source = join(work, "source.git");
  await makeRichRepo(source);
  const url = harness.repoUrl("housekeeping");
  const api = apiBase(url);
  await git(["push", "--quiet", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], { cwd: source });
  // A commit (with a tree and a blob) only main reaches, then main forced back from it.
  const blob = (await git(["hash-object", "-w", "--stdin"], { cwd: source, input: "soon unreachable\n" })).stdout.trim();
  const tree = (await git(["mktree"], { cwd: source, input: `100644 blob ${blob}\tonly.txt\n` })).stdout.trim();
  const tip = (await git(["commit-tree", tree, "-p", "main", "-m", "Soon unreachable"], { cwd: source })).stdout.trim();
  await git(["push", "--quiet", url, `${tip}:refs/heads/main`], { cwd: source });
  await git(["push", "--quiet", "--force", url, "main:refs/heads/main"], { cwd: source });

  const res = await fetch(`${api}/housekeeping`, { method: "POST" });
  expect(res.status).toBe(200);
  const report = (await res.json()) as { repacked: boolean; unreachable: number };
  expect(report.repacked).toBe(true);
  expect(report.unreachable).toBe(3);
  const whole = await cloneWithProgress(url, join(work, "whole.git"), work);
  expect(whole).toMatch(/remote: Total \d+, reused \d+, pack-reused \d+ \(1 stored pack sent whole\)/);
  expect(await forEachRef(join(work, "whole.git"))).toEqual(await forEachRef(source));
  await expectOnlyReachable(join(work, "whole.git"));

  // The tip the forced update left behind comes back from the pack of unreachable objects.
  const created = (await getJson(`${api}/ref-log?ref=refs/heads/main`)).events.find((e: { newOid: string }) => e.newOid === tip);
  const restore = await fetch(`${api}/refs/restore`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ref: "refs/heads/main", seq: created.seq }) });
  expect(restore.status).toBe(201);
  await cloneWithProgress(url, join(work, "restored.git"), work);
  expect(await revParse(join(work, "restored.git"), "refs/heads/main")).toBe(tip);
});

/** The clone's pack holds only reachable objects, each once: as many as its refs reach. */
async function expectOnlyReachable(dir: string): Promise<void> {
  const inPack = Number(/^in-pack: (\d+)$/m.exec((await git(["count-objects", "-v"], { cwd: dir })).stdout)?.[1]);
  const reachable = (await git(["rev-list", "--objects", "--all"], { cwd: dir })).stdout.trim().split("\n").length;
  expect(inPack).toBe(reachable);
}

it("refuses a pack that links to an object it does not hold, and stores nothing", async () => {
  const work = await harness.workdir("missing");
  const source = join(work, "source.git");
  await makeRichRepo(source, { commits: 60 });
  const url = harness.repoUrl("missing");
  await git(["push", "--quiet", url, "main~10:refs/heads/main"], { cwd: source });

  // Every object main adds beyond main~10, but for one blob.
  const objects = (await git(["rev-list", "--objects", "main", "^main~10"], { cwd: source })).stdout.split("\n").map((l) => l.slice(0, 40)).filter(Boolean);
  const described = (await git(["cat-file", "--batch-check"], { cwd: source, input: `${objects.join("\n")}\n` })).stdout;
  const blob = /^([0-9a-f]{40}) blob /m.exec(described)?.[1];
  expect(blob).toBeDefined();
  const pack = await packOf(source, objects.filter((oid) => oid !== blob));
  const [oldTip, newTip] = [await revParse(source, "main~10"), await revParse(source, "main")];

  const command = `${oldTip} ${newTip} refs/heads/main\0report-status\n`;
  const body = Buffer.concat([Buffer.from(pkt(command) + "0000"), pack]);
  const response = await fetch(`${url}/git-receive-pack`, { method: "POST", body, headers: { "Content-Type": "application/x-git-receive-pack-request" } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("ng refs/heads/main missing necessary objects");
  expect((await lsRemote(url, { cwd: work })).get("refs/heads/main")).toBe(oldTip);
});

function pkt(line: string): string {
  return (line.length + 4).toString(16).padStart(4, "0") + line;
}

/** A pack of exactly these objects, made by git. */
async function packOf(repo: string, oids: string[]): Promise<Buffer> {
  const child = spawn("git", ["pack-objects", "--stdout", "-q"], { cwd: repo });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  child.stdin.end(oids.join("\n") + "\n");
  await new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(null) : reject(new Error(`pack-objects exited ${code}`)))));
  return Buffer.concat(chunks);
}
