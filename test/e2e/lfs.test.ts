// Git LFS end to end with the real git-lfs client against the worker in token mode: track and push
// two 5 MiB files (their bytes land in the local R2), clone them back, `git lfs pull` after the local
// store is gone, and file locking between two tokens, including a push of a file someone else has
// locked, refused by the server and, with lfs.locksverify, by git-lfs itself; and a fork cloned with its LFS files.
import { createHash } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git, gitFails } from "../../bench/harness/git";
import { Random } from "../../bench/harness/random";
import { startWorker, type RunningServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { lfsGitEnv } from "../support/lfs-git";
import { targetName } from "../support/target";

const ADMIN = "lfs-e2e-admin";
const MiB = 1024 * 1024;

let server: RunningServer;
let root: TmpDir;
/** git's environment with Git LFS's filters. */
let env: Record<string, string>;

beforeAll(async () => {
  if (targetName() !== "worker") return;
  root = await tmpDir("lfs-e2e-");
  server = await startWorker({ vars: { AUTH_MODE: "token", ADMIN_TOKEN: ADMIN } });
  env = await lfsGitEnv(root.path);
});
afterAll(async () => {
  await server?.stop();
  await root?.cleanup();
});

async function mint(name: string): Promise<string> {
  const res = await fetch(`${server.url}/api/tokens`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ name, repos: ["alice/*"], scopes: ["write"] }) });
  return ((await res.json()) as { token: string }).token;
}

/** Runs git (and so git-lfs) in `cwd` as the holder of `token`. */
function as(token: string, cwd: string) {
  const helper = `credential.helper=!f() { echo username=x; echo password=${token}; }; f`;
  return {
    git: (...args: string[]) => git(["-c", helper, ...args], { cwd, env }),
    fails: (...args: string[]) => gitFails(["-c", helper, ...args], { cwd, env }),
  };
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

describe.skipIf(targetName() !== "worker")("Git LFS with the git-lfs client", () => {
  it("pushes, clones, pulls and locks", async () => {
    const url = `${server.url}/alice/media.git`;
    const alice = await mint("alice");
    const bob = await mint("bob");
    const one = new Random(1).bytes(5 * MiB);
    const two = new Random(2).bytes(5 * MiB);

    const work = join(root.path, "alice");
    await git(["init", "--quiet", "-b", "main", work], { cwd: root.path, env });
    const a = as(alice, work);
    await a.git("lfs", "install", "--local");
    await a.git("lfs", "track", "--lockable", "*.bin");
    await writeFile(join(work, "one.bin"), one);
    await writeFile(join(work, "two.bin"), two);
    await a.git("add", ".gitattributes", "one.bin", "two.bin");
    await a.git("commit", "--quiet", "-m", "Two large files");
    await a.git("push", url, "main");
    const storage = (await (await fetch(`${server.url}/api/repos/alice/media/storage`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as { lfs: unknown };
    expect(storage.lfs).toEqual({ bytes: 10 * MiB, objects: 2 });
    // The browse API's raw route serves a pointer file's LFS bytes (a redirect to the object, as GitHub's media URLs).
    const raw = await fetch(`${server.url}/api/repos/alice/media/raw/main/two.bin`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect([raw.status, raw.redirected, raw.headers.get("Content-Type")]).toEqual([200, true, "application/octet-stream"]);
    expect(sha256(new Uint8Array(await raw.arrayBuffer()))).toBe(sha256(two));
    // git keeps pointers; the bytes are in the LFS bucket, not in the pack.
    expect((await a.git("cat-file", "-p", "HEAD:one.bin")).stdout).toContain(`oid sha256:${sha256(one)}`);

    const clone = join(root.path, "bob");
    await as(bob, root.path).git("clone", "--quiet", url, clone);
    const b = as(bob, clone);
    expect(sha256(await readFile(join(clone, "one.bin")))).toBe(sha256(one));
    expect(sha256(await readFile(join(clone, "two.bin")))).toBe(sha256(two));

    await rm(join(clone, ".git/lfs/objects"), { recursive: true });
    await rm(join(clone, "two.bin"));
    await b.git("lfs", "pull");
    expect(sha256(await readFile(join(clone, "two.bin")))).toBe(sha256(two));
    expect(await readdir(join(clone, ".git/lfs/objects"))).not.toHaveLength(0);

    // Alice locks one.bin; both see the lock; Bob's push of a change to it stops in git-lfs.
    await a.git("config", "remote.origin.url", url);
    expect((await a.git("lfs", "lock", "one.bin")).stdout).toMatch(/Locked one.bin/);
    expect((await b.git("lfs", "locks")).stdout).toMatch(/one\.bin\s+alice\s+ID:\d+/);
    const stolen = await b.fails("lfs", "unlock", "one.bin");
    expect(stolen.stderr).toMatch(/locked by alice; only they can unlock it, or an admin with --force/);
    await b.git("lfs", "install", "--local");
    await writeFile(join(clone, "one.bin"), new Random(3).bytes(MiB));
    await b.git("commit", "--quiet", "-am", "Bob changes one.bin");
    // Without lfs.locksverify, git-lfs only warns; the server refuses the ref, on a new branch too.
    for (const ref of ["main", "main:refs/heads/bobs-branch"]) {
      const refused = await b.fails("push", "origin", ref);
      expect(refused.stderr).toMatch(/\[remote rejected\] .*\(one\.bin is locked by alice: ask them to unlock it \(git lfs unlock one\.bin\)\)/);
    }
    // With it, as git-lfs advises once it sees the locking API, git-lfs refuses before anything is sent.
    await b.git("config", `lfs.${url}/info/lfs.locksverify`, "true");
    const refused = await b.fails("push", "origin", "main");
    expect(refused.stdout).toMatch(/Unable to push locked files:\n\* one\.bin - alice/);
    expect(refused.stderr).toMatch(/Cannot update locked files/);

    await a.git("lfs", "unlock", "one.bin");
    await b.git("push", "origin", "main");
    expect((await b.git("lfs", "locks")).stdout.trim()).toBe("");
    const log = (await (await fetch(`${server.url}/api/repos/alice/media/lock-log?order=asc`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as { events: { kind: string; actor: string }[] };
    expect(log.events.map((e) => `${e.kind} ${e.actor}`)).toEqual(["lock alice", "unlock alice"]);
  });

  it("clones a fork with its Git LFS files, copied from the source", async () => {
    const alice = await mint("alice");
    const work = join(root.path, "art");
    const picture = new Random(4).bytes(2 * MiB);
    await git(["init", "--quiet", "-b", "main", work], { cwd: root.path, env });
    const a = as(alice, work);
    await a.git("lfs", "install", "--local");
    await a.git("lfs", "track", "*.png");
    await writeFile(join(work, "picture.png"), picture);
    await a.git("add", ".gitattributes", "picture.png");
    await a.git("commit", "--quiet", "-m", "A picture");
    await a.git("push", `${server.url}/alice/art.git`, "main");
    const admin = { Authorization: `Bearer ${ADMIN}` };
    expect((await fetch(`${server.url}/api/repos/alice/art/forks`, { method: "POST", headers: admin, body: JSON.stringify({ owner: "alice", name: "art-fork" }) })).status).toBe(202);
    for (let i = 0; (await (await fetch(`${server.url}/api/repos/alice/art-fork`, { headers: admin })).json() as { state: string }).state !== "ready"; i++) {
      if (i > 400) throw new Error("the fork never became ready");
      await new Promise((r) => setTimeout(r, 100));
    }
    const clone = join(root.path, "art-fork");
    await as(alice, root.path).git("clone", "--quiet", `${server.url}/alice/art-fork.git`, clone);
    expect(sha256(await readFile(join(clone, "picture.png")))).toBe(sha256(picture));
  });
});
