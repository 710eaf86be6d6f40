// The README's quick start, typed as a user would: `npm start -- --port N --var K:V` serves on
// 127.0.0.1 with the var in effect, GET / describes the service, the first push creates the
// repository that a clone then reads, and the partial clones of "Clones and fetches" work; and the
// Git LFS section's set-up and locks, typed as written with a HOME of their own (git lfs install
// writes to the user's global config).
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { fsck, git, gitEnv, gitFails, revParse } from "../../bench/harness/git";
import { Random } from "../../bench/harness/random";
import { commitFile } from "../support/fixtures";
import { useHarness } from "../support/harness";
import { readmeBlock } from "../support/readme";
import { targetName } from "../support/target";

const run = promisify(execFile);

const harness = useHarness({ npmStart: true, denyNonFastForward: true });

it("serves the quick start with npm start -- --port N --var DENY_NON_FAST_FORWARD:refs/heads/main", async () => {
  const url = harness.repoUrl(`demo-${crypto.randomUUID().slice(0, 8)}`);
  expect(new URL(url).hostname).toBe("127.0.0.1");
  const about = await fetch(new URL("/", url));
  expect(about.status).toBe(200);
  expect(await about.text()).toMatch(/git push http:\/\/HOST\/OWNER\/REPO\.git main/);

  const dir = await harness.workdir("readme");
  await git(["init", "--quiet", "-b", "main", "work"], { cwd: dir });
  const work = `${dir}/work`;
  await commitFile(work, "README.md", "# demo\n", "First");
  await commitFile(work, "README.md", "# demo\nmore\n", "Second");
  await git(["push", url, "main"], { cwd: work });
  await git(["clone", "--quiet", url, "clone"], { cwd: dir });
  await fsck(`${dir}/clone`);
  expect(await revParse(`${dir}/clone`, "HEAD")).toBe(await revParse(work, "HEAD"));

  // "Clones and fetches": the two partial clones.
  await git(["clone", "--quiet", "--filter=blob:none", url, "demo-blobless"], { cwd: dir });
  await git(["clone", "--quiet", "--filter=tree:0", "--no-checkout", url, "demo-history"], { cwd: dir });
  expect((await git(["log", "--oneline"], { cwd: `${dir}/demo-history` })).stdout.split("\n").filter(Boolean)).toHaveLength(2);
  expect((await git(["cat-file", "-p", "HEAD:README.md"], { cwd: `${dir}/demo-history` })).stdout).toBe("# demo\nmore\n");

  // The web UI at the repository's URL, and the "Browse API" block as written, for this repository.
  const name = new URL(url).pathname.slice(1, -4);
  const home = await fetch(new URL(`/${name}`, url));
  expect([home.status, home.headers.get("Content-Type")]).toEqual([200, "text/html; charset=utf-8"]);
  const browse = (await readmeBlock("## Browse API", new URL(url).host)).map((line) => line.replace("alice/demo", name));
  const answers = (await run("bash", ["-ec", browse.map((line) => line.replace(/^curl /, "curl -sSf ")).join("\necho\n")], { cwd: dir })).stdout;
  expect(answers).toContain('"summary":"Second"');
  expect(answers).toContain("# demo\nmore\n");

  // The --var took effect: main refuses a forced rewrite.
  await git(["reset", "--quiet", "--hard", "HEAD~1"], { cwd: work });
  await commitFile(work, "README.md", "# rewritten\n", "Rewrite");
  const { stderr } = await gitFails(["push", "--force", url, "main"], { cwd: work });
  expect(stderr).toMatch(/! \[remote rejected\] +main -> main \(non-fast-forward\)/);
});

it.skipIf(targetName() !== "worker")("runs the README's Git LFS set-up and locks as written", async () => {
  const dir = await harness.workdir("readme-lfs");
  const home = join(dir, "home");
  await mkdir(home);
  await writeFile(join(home, ".gitconfig"), "[user]\n\tname = README Reader\n\temail = reader@example.com\n");
  const env = gitEnv({ HOME: home, XDG_CONFIG_HOME: join(home, ".config") });
  const work = join(dir, "work");
  await git(["init", "--quiet", "-b", "main", work], { cwd: dir });
  const logo = new Random(9).bytes(2 * 1024 * 1024);
  await writeFile(join(work, "logo.psd"), logo);
  const host = new URL(harness.repoUrl("x")).host;
  const sh = async (heading: string) => (await run("bash", ["-ec", (await readmeBlock(heading, host)).join("\n")], { cwd: work, env })).stdout;

  await sh("### Set-up");
  expect(Buffer.compare(await readFile(join(work, "design-copy/logo.psd")), logo)).toBe(0);
  expect((await git(["cat-file", "-p", "HEAD:logo.psd"], { cwd: join(work, "design-copy") })).stdout).toMatch(/^version https:\/\/git-lfs/);
  const locks = await sh("### Locks");
  expect(locks).toMatch(/Locked logo\.psd/);
  expect(locks).toMatch(/logo\.psd\s+anonymous\s+ID:1/);
  expect(locks).toMatch(/Unlocked logo\.psd/);
});
