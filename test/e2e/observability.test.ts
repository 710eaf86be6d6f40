// The server's log as an operator reads it, against `npm start`: one JSON line per push and per clone
// with the right objects and bytes, a refusal git shows carrying the request id of its line, and the
// README's health examples, run as written.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { git, gitFails } from "../../bench/harness/git";
import { startWorker, type WorkerServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { commitFile } from "../support/fixtures";
import { targetName } from "../support/target";

// C git's http-backend has no such log: this file only runs against our worker.
const skip = targetName() === "cgit";
let server: WorkerServer;
let root: TmpDir;

beforeAll(async () => {
  if (skip) return;
  root = await tmpDir("observability-");
  server = await startWorker({ npmStart: true, vars: { DENY_NON_FAST_FORWARD: "refs/heads/main" } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await root?.cleanup();
});

/** The operation lines the server printed for `repo`. */
function operations(repo: string): Record<string, unknown>[] {
  return server.operations().filter((entry) => entry.repo === repo);
}

async function until<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not logged:\n${server.output().slice(-4000)}`);
}

it.skipIf(skip)("prints one JSON line per push and clone, and the request id of a refusal git shows", async () => {
  const url = `${server.url}/alice/demo.git`;
  const work = join(root.path, "work");
  await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
  for (let i = 0; i < 3; i++) await commitFile(work, "notes.txt", `version ${i}\n`, `Commit ${i}`);
  await git(["push", "--quiet", url, "main"], { cwd: work });
  const push = await until(() => operations("alice/demo").find((e) => e.op === "push"));
  // 3 commits, 3 trees, 3 blobs.
  expect(push).toMatchObject({ level: "info", outcome: "ok", objectsIn: 9, actor: "anonymous" });
  expect(push.bytesIn as number).toBeGreaterThan(500);
  expect(push.pushId).toEqual(expect.any(String));

  await git(["clone", "--quiet", "--bare", url, join(root.path, "clone.git")], { cwd: root.path });
  const clone = await until(() => operations("alice/demo").find((e) => e.op === "clone"));
  expect(clone).toMatchObject({ outcome: "ok", objectsOut: 9 });
  expect(clone.bytesOut as number).toBeGreaterThan(500);

  await git(["reset", "--quiet", "--hard", "HEAD~1"], { cwd: work });
  await commitFile(work, "notes.txt", "rewritten\n", "Rewrite");
  const { stderr } = await gitFails(["push", "--force", url, "main"], { cwd: work });
  const id = /remote: request id: (\S+)/.exec(stderr)?.[1];
  expect(id, stderr).toBeDefined();
  const refused = await until(() => operations("alice/demo").find((e) => e.requestId === id));
  expect(refused).toMatchObject({ level: "warn", op: "push", outcome: "refused" });
  expect(refused.message).toMatch(/non-fast-forward/);
});

it.skipIf(skip)("answers the README's health examples", async () => {
  const readme = await readFile(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
  const section = readme.slice(readme.indexOf("- **Health**"));
  const commands = section.split("\n").filter((l) => l.trim().startsWith("curl ")).slice(0, 2).map((l) => l.trim().replace(/\s+#.*$/, "").replaceAll("127.0.0.1:8787", new URL(server.url).host));
  expect(commands).toHaveLength(2);
  const [repo, whole] = await Promise.all(commands.map(async (c) => JSON.parse((await promisify(execFile)("bash", ["-c", c])).stdout)));
  expect(repo).toMatchObject({ repo: "alice/demo", lastPush: { actor: "anonymous" }, failures: { housekeeping: null, archive: null } });
  expect(whole).toMatchObject({ ok: true, registry: { ok: true }, queueBacklog: null });
});
