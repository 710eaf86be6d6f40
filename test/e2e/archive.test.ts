// Archival end to end, as the issue describes it: a server with a tiny storage limit, a repository
// pushed in rounds to several times that limit, the cron fired by hand, the Queue left to deliver,
// then most bytes in R2 and clone, fsck, push and fetch working as before.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fsck, git, revParse } from "../../bench/harness/git";
import { Random } from "../../bench/harness/random";
import { startWorker, type RunningServer } from "../../bench/harness/server";
import { targetName } from "../support/target";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";

const LIMIT = 1_500_000;
const skip = targetName() === "cgit"; // C git has no archival.
let server: RunningServer;
let root: TmpDir;

beforeAll(async () => {
  if (skip) return;
  root = await tmpDir("git-e2e-archive-");
  server = await startWorker({ vars: { STORAGE_LIMIT_BYTES: String(LIMIT) } });
});

afterAll(async () => {
  await server?.stop();
  await root?.cleanup();
});

interface Storage {
  limitBytes: number;
  hotBytes: number;
  archivedBytes: number;
  lowWatermark: number;
  packs: { tier: string }[];
}

async function storage(): Promise<Storage> {
  const res = await fetch(`${server.url}/api/repos/alice/archived/storage`);
  expect(res.status).toBe(200);
  return (await res.json()) as Storage;
}

async function commitNoise(dir: string, random: Random, round: number): Promise<void> {
  // Random bytes do not compress: each round adds about 1.5 MB to the pack.
  for (let f = 0; f < 3; f++) await writeFile(join(dir, `data-${round}-${f}.bin`), random.bytes(500_000));
  await git(["add", "."], { cwd: dir });
  await git(["commit", "--quiet", "-m", `Round ${round}`], { cwd: dir });
}

it.skipIf(skip)("moves cold packs to R2 near the limit, and clones, fetches and pushes stay the same", { timeout: 240_000 }, async () => {
  const url = `${server.url}/alice/archived.git`;
  const writer = join(root.path, "writer");
  await git(["init", "--quiet", writer], { cwd: root.path });
  const random = new Random(42);
  for (let round = 0; round < 3; round++) {
    await commitNoise(writer, random, round);
    await git(["push", "--quiet", url, "main"], { cwd: writer });
  }
  const scheduled = await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*/15+*+*+*+*`);
  expect(scheduled.status).toBe(200);

  let figures = await storage();
  for (let i = 0; i < 120 && figures.hotBytes > figures.lowWatermark * figures.limitBytes; i++) {
    await new Promise((r) => setTimeout(r, 500));
    figures = await storage();
  }
  expect(figures.hotBytes).toBeLessThan(figures.lowWatermark * figures.limitBytes);
  expect(figures.archivedBytes).toBeGreaterThan(3 * 1_400_000);
  expect(figures.packs.filter((p) => p.tier === "archived").length).toBeGreaterThanOrEqual(3);

  const clone = join(root.path, "clone");
  await git(["clone", "--quiet", url, clone], { cwd: root.path });
  await fsck(clone);
  expect(await revParse(clone, "HEAD")).toBe(await revParse(writer, "HEAD"));

  await commitNoise(writer, random, 3);
  await git(["push", "--quiet", url, "main"], { cwd: writer });
  await git(["fetch", "--quiet", "origin"], { cwd: clone });
  expect(await revParse(clone, "refs/remotes/origin/main")).toBe(await revParse(writer, "HEAD"));
  await git(["merge", "--quiet", "--ff-only", "origin/main"], { cwd: clone });
  await fsck(clone);
});
