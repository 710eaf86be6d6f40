// Repositories as a resource and webhooks, as a team meets them: the worker in token mode, the real
// git CLI, and a webhook receiver on 127.0.0.1 (ALLOW_PRIVATE_URLS=true) that checks every
// signature. Create, push, list, delete (git then gets 404), undelete (the clone works again), and a
// burst of pushes delivered in log order while the receiver first fails.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsck, git, gitFails, revParse } from "../../bench/harness/git";
import { startCgit, startWorker, type RunningServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { commitFile, makeRichRepo } from "../support/fixtures";
import { targetName } from "../support/target";

const ADMIN_TOKEN = "e2e-admin-secret-repos-7c21";
const SECRET = "receiver's secret";

let server: RunningServer;
let root: TmpDir;

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** The clone URL with the admin token as the password. */
function authed(name: string): string {
  const u = new URL(`${server.url}/${name}.git`);
  u.username = "x";
  u.password = ADMIN_TOKEN;
  return u.href;
}

interface Received {
  event: string;
  delivery: string;
  body: { ref?: string; after?: string; seq?: { first: number; last: number }; commits?: { message: string }[]; action?: string };
}

/** A receiver that answers 500 to its first `failures` requests and 204 after, keeping what it accepted. */
async function receiver(failures: number): Promise<{ url: string; accepted: Received[]; refused: number; badSignatures: number; close(): Promise<void> }> {
  const state = { accepted: [] as Received[], refused: 0, badSignatures: 0 };
  const http: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(parts);
      const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) state.badSignatures++;
      if (state.refused < failures) {
        state.refused++;
        res.writeHead(500).end();
        return;
      }
      state.accepted.push({ event: String(req.headers["x-git-on-workers-event"]), delivery: String(req.headers["x-git-on-workers-delivery"]), body: JSON.parse(raw.toString()) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    get accepted() {
      return state.accepted;
    },
    get refused() {
      return state.refused;
    },
    get badSignatures() {
      return state.badSignatures;
    },
    close: () => new Promise((r) => http.close(() => r())),
  };
}

async function until(what: string, test: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

// C git's http-backend has no repository API: this file only runs against our worker.
describe.skipIf(targetName() === "cgit")("repositories and webhooks", () => {
  beforeAll(async () => {
    root = await tmpDir("git-e2e-repos-");
    server = await startWorker({ vars: { AUTH_MODE: "token", ADMIN_TOKEN, ALLOW_PRIVATE_URLS: "true", WEBHOOK_RETRY_SECONDS: "1" } });
  });

  afterAll(async () => {
    await server?.stop();
    await root?.cleanup();
  });

  it("creates, lists, deletes (git gets 404) and undeletes a repository (the clone works again)", async () => {
    const created = await api("POST", "/api/repos", { owner: "team", name: "site", visibility: "private", description: "The web site", defaultBranch: "main" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "team/site", visibility: "private", description: "The web site", cloneUrl: `${server.url}/team/site.git` });
    expect((await api("POST", "/api/repos", { owner: "team", name: "site" })).status).toBe(409);

    const work = join(root.path, "site");
    await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
    await commitFile(work, "index.html", "<h1>hello</h1>\n", "First page");
    await git(["push", "--quiet", authed("team/site"), "main"], { cwd: work });
    const head = await revParse(work, "HEAD");

    const listed = (await (await api("GET", "/api/repos?owner=team")).json()) as { repos: { name: string; lastPushAt: string | null; hotBytes: number }[] };
    expect(listed.repos).toEqual([expect.objectContaining({ name: "team/site", lastPushAt: expect.any(String) })]);
    expect(listed.repos[0]!.hotBytes).toBeGreaterThan(0);
    // Without a token, a private repository is not listed.
    expect(((await (await fetch(`${server.url}/api/repos?owner=team`)).json()) as { repos: unknown[] }).repos).toEqual([]);

    const deleted = await api("DELETE", "/api/repos/team/site");
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ deletedAt: expect.any(String), purgeAt: expect.any(String) });
    const gone = await gitFails(["clone", "--quiet", authed("team/site"), join(root.path, "gone")], { cwd: root.path });
    expect(gone.stderr).toMatch(/repository not found|404/);
    expect((await api("GET", "/api/repos/team/site/refs")).status).toBe(404);
    // The name stays taken while the repository can still be undeleted, and git says so.
    const pushed = await gitFails(["push", authed("team/site"), "main:other"], { cwd: work });
    expect(pushed.stderr).toContain("team/site was deleted at");
    expect(pushed.stderr).toContain("/undelete");

    expect((await api("POST", "/api/repos/team/site/undelete")).status).toBe(200);
    const again = join(root.path, "again");
    await git(["clone", "--quiet", authed("team/site"), again], { cwd: root.path });
    expect(await revParse(again, "HEAD")).toBe(head);
    await fsck(again);
    const log = (await (await api("GET", "/api/registry-log?repo=team/site&order=asc")).json()) as { events: { kind: string; actor: string }[] };
    expect(log.events.map((e) => [e.kind, e.actor])).toEqual([["created", "admin"], ["deleted", "admin"], ["undeleted", "admin"]]);
  });

  it("forks a repository: the fork's clone equals the source's, and a push to the fork leaves the source alone", async () => {
    const work = join(root.path, "upstream");
    await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
    for (let i = 0; i < 5; i++) await commitFile(work, `f${i}.txt`, `${i}\n`, `Commit ${i}`);
    await git(["tag", "-a", "v1", "-m", "Version 1"], { cwd: work });
    await git(["checkout", "--quiet", "-b", "topic"], { cwd: work });
    await commitFile(work, "topic.txt", "topic\n", "On a branch");
    await git(["push", "--quiet", authed("team/upstream"), "main", "topic", "v1"], { cwd: work });

    const forked = await api("POST", "/api/repos/team/upstream/forks", { owner: "someone", name: "upstream" });
    expect(forked.status).toBe(202);
    await until("the fork to be ready", async () => ((await (await api("GET", "/api/repos/someone/upstream")).json()) as { state: string }).state === "ready");
    const sourceRefs = await git(["ls-remote", authed("team/upstream")], { cwd: root.path });
    const forkRefs = await git(["ls-remote", authed("someone/upstream")], { cwd: root.path });
    expect(forkRefs.stdout).toBe(sourceRefs.stdout);
    const clone = join(root.path, "fork-clone");
    await git(["clone", "--quiet", "--mirror", authed("someone/upstream"), clone], { cwd: root.path });
    await fsck(clone);

    await commitFile(work, "topic.txt", "only in the fork\n", "Fork's own");
    await git(["push", "--quiet", authed("someone/upstream"), "topic"], { cwd: work });
    expect((await git(["ls-remote", authed("team/upstream")], { cwd: root.path })).stdout).toBe(sourceRefs.stdout);
    expect((await git(["ls-remote", authed("someone/upstream"), "refs/heads/topic"], { cwd: root.path })).stdout).toContain(await revParse(work, "HEAD"));
    expect((await api("POST", "/api/repos/team/upstream/forks", { owner: "someone", name: "upstream" })).status).toBe(409);
  });

  it("imports every branch and tag from C git's http-backend: refs equal, fsck clean", async () => {
    const cgit = await startCgit();
    try {
      const work = join(root.path, "remote-work");
      await makeRichRepo(work, { commits: 60 });
      const bare = join(cgit.root, "o", "remote.git");
      await git(["clone", "--quiet", "--bare", work, bare], { cwd: root.path });
      const expected = (await git(["ls-remote", `${cgit.url}/o/remote.git`, "refs/heads/*", "refs/tags/*"], { cwd: root.path })).stdout;
      const started = await api("POST", "/api/repos/team/imported/import", { url: `${cgit.url}/o/remote.git` });
      expect(started.status).toBe(202);
      let state: { state: string; protocol: number; refs: number; bytes: number; error: string | null } = { state: "queued", protocol: 0, refs: 0, bytes: 0, error: null };
      await until("the import", async () => {
        state = (await (await api("GET", "/api/repos/team/imported/import")).json()) as typeof state;
        return state.state === "done" || state.state === "failed";
      });
      expect(state).toMatchObject({ state: "done", protocol: 2, error: null });
      expect(state.bytes).toBeGreaterThan(0);
      expect((await git(["ls-remote", authed("team/imported"), "refs/heads/*", "refs/tags/*"], { cwd: root.path })).stdout).toBe(expected);
      const clone = join(root.path, "imported-clone");
      await git(["clone", "--quiet", "--mirror", authed("team/imported"), clone], { cwd: root.path });
      await fsck(clone);
      const log = (await (await api("GET", "/api/repos/team/imported/ref-log?limit=1")).json()) as { events: { actor: string }[] };
      expect(log.events[0]!.actor).toBe("admin");

      // A remote that is not there fails the import with a message, and a private address is refused up front.
      expect((await api("POST", "/api/repos/team/nothing/import", { url: `${cgit.url}/o/missing.git` })).status).toBe(202);
      await until("the failed import", async () => ((await (await api("GET", "/api/repos/team/nothing/import")).json()) as { state: string }).state === "failed");
      expect(await (await api("GET", "/api/repos/team/nothing/import")).json()).toMatchObject({ error: "the remote answered HTTP 404 to /info/refs" });
    } finally {
      await cgit.stop();
    }
  });

  it("mirrors C git's http-backend: refuses pushes, and the scheduled run brings new, moved and deleted refs", async () => {
    const cgit = await startCgit();
    try {
      const work = join(root.path, "mirror-work");
      await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
      await commitFile(work, "a.txt", "one\n", "One");
      await git(["branch", "topic"], { cwd: work });
      await git(["branch", "rewritten"], { cwd: work });
      await git(["tag", "v1"], { cwd: work });
      const bare = join(cgit.root, "o", "mirrored.git");
      await git(["clone", "--quiet", "--bare", work, bare], { cwd: root.path });
      const remote = `${cgit.url}/o/mirrored.git`;
      const importState = async () => (await (await api("GET", "/api/repos/team/mirror/import")).json()) as { state: string; mirror: boolean; updated: number; bytes: number; queuedAt: string };
      expect((await api("POST", "/api/repos/team/mirror/import", { url: remote, mirror: true })).status).toBe(202);
      await until("the first fetch", async () => (await importState()).state === "done");
      const first = await importState();
      expect(first).toMatchObject({ mirror: true, updated: 4 });
      expect(await (await api("GET", "/api/repos/team/mirror")).json()).toMatchObject({ mirrorUrl: remote });

      // The mirror takes no pushes; git shows why.
      const refused = await gitFails(["push", authed("team/mirror"), "main:refs/heads/other"], { cwd: work });
      expect(refused.stderr).toContain(`remote: team/mirror is a mirror of ${remote} and takes no pushes; push there, and its next scheduled fetch brings the change here`);

      // The remote moves on: a commit on main, a branch deleted, one rewritten (a force-push), a new tag.
      await commitFile(work, "b.txt", "two\n", "Two");
      await git(["branch", "--delete", "--force", "topic"], { cwd: work });
      await git(["checkout", "--quiet", "rewritten"], { cwd: work });
      await git(["commit", "--quiet", "--amend", "-m", "One, rewritten"], { cwd: work });
      await git(["tag", "v2"], { cwd: work });
      await git(["push", "--quiet", "--mirror", "--force", bare], { cwd: work });
      const expected = (await git(["ls-remote", remote, "refs/heads/*", "refs/tags/*"], { cwd: root.path })).stdout;

      expect((await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*/15+*+*+*+*`)).status).toBe(200);
      await until("the scheduled fetch", async () => {
        const s = await importState();
        return s.queuedAt !== first.queuedAt && s.state === "done";
      });
      const second = await importState();
      expect(second.updated).toBe(4); // main moved, rewritten forced, v2 created, topic deleted
      expect(second.bytes).toBeLessThan(first.bytes * 2);
      expect((await git(["ls-remote", authed("team/mirror"), "refs/heads/*", "refs/tags/*"], { cwd: root.path })).stdout).toBe(expected);
      const clone = join(root.path, "mirror-clone");
      await git(["clone", "--quiet", "--mirror", authed("team/mirror"), clone], { cwd: root.path });
      await fsck(clone);

      // Nothing new: the next run changes nothing.
      expect((await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*/15+*+*+*+*`)).status).toBe(200);
      await until("the idle fetch", async () => {
        const s = await importState();
        return s.queuedAt !== second.queuedAt && s.state === "done";
      });
      expect(await importState()).toMatchObject({ updated: 0, bytes: 0 });
    } finally {
      await cgit.stop();
    }
  });

  it("delivers every push of a burst of 50, in log order, signed, though the receiver fails its first three", async () => {
    const hook = await receiver(3);
    try {
      const work = join(root.path, "burst");
      await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
      await commitFile(work, "n.txt", "0\n", "Start");
      await git(["push", "--quiet", authed("team/burst"), "main"], { cwd: work });
      const added = await api("POST", "/api/repos/team/burst/hooks", { url: hook.url, secret: SECRET, events: ["push", "repository"] });
      expect(added.status).toBe(201);
      const { id } = (await added.json()) as { id: string };
      const pushes = 50;
      for (let i = 1; i <= pushes; i++) {
        await commitFile(work, "n.txt", `${i}\n`, `Push ${i}`);
        await git(["push", "--quiet", authed("team/burst"), "main"], { cwd: work });
      }
      await api("PATCH", "/api/repos/team/burst", { visibility: "public" });
      await until("every delivery", () => hook.accepted.length >= pushes + 1);
      await sleep(2000);

      const refLog = (await (await api("GET", "/api/repos/team/burst/ref-log?order=asc&limit=1000")).json()) as { events: { seq: number; newOid: string }[] };
      const expected = refLog.events.slice(1).map((e) => ({ seq: e.seq, after: e.newOid }));
      const pushesSeen = hook.accepted.filter((r) => r.event === "push");
      // At least once: a duplicate may come (same delivery id); dropped by id, the rest is exactly the log.
      const unique = pushesSeen.filter((r, i) => pushesSeen.findIndex((s) => s.delivery === r.delivery) === i);
      expect(unique.map((r) => ({ seq: r.body.seq!.first, after: r.body.after }))).toEqual(expected);
      expect(unique.map((r) => r.body.commits!.map((c) => c.message.trim()))).toEqual(expected.map((_, i) => [`Push ${i + 1}`]));
      expect(hook.accepted[hook.accepted.length - 1]).toMatchObject({ event: "repository", body: { action: "publicized" } });
      expect(hook.refused).toBe(3);
      expect(hook.badSignatures).toBe(0);

      const deliveries = (await (await api("GET", `/api/repos/team/burst/hooks/${id}/deliveries?limit=100`)).json()) as { deliveries: { status: string; attempts: number }[] };
      expect(deliveries.deliveries.every((d) => d.status === "delivered")).toBe(true);
      expect(deliveries.deliveries.reduce((n, d) => n + d.attempts, 0)).toBeGreaterThanOrEqual(pushes + 1 + 3);
    } finally {
      await hook.close();
    }
  });

  it("refuses a webhook URL on a private address when private addresses are not allowed", async () => {
    const strict = await startWorker({ vars: { AUTH_MODE: "token", ADMIN_TOKEN } });
    try {
      const res = await fetch(`${strict.url}/api/repos`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ owner: "team", name: "strict" }) });
      expect(res.status).toBe(201);
      for (const url of ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest/meta-data"]) {
        const refused = await fetch(`${strict.url}/api/repos/team/strict/hooks`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ url, secret: "s", events: ["push"] }) });
        expect(refused.status, url).toBe(400);
        expect(((await refused.json()) as { detail: string }).detail).toMatch(/loopback, private or link-local address/);
      }
    } finally {
      await strict.stop();
    }
  });
});
