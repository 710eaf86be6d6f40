// Access control as git users meet it: the worker in token mode (AUTH_MODE=token with an ADMIN_TOKEN),
// tokens minted through the API, and the real git CLI giving them as the Basic-auth password, in the
// URL or through a credential helper. Refusals are checked in git's own output and by the refs on the
// server staying as they were.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsck, git, gitEnv, gitFails, lsRemote, revParse } from "../../bench/harness/git";
import { startWorker, type RunningServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { apiBase } from "../support/api";
import { commitFile } from "../support/fixtures";
import { targetName } from "../support/target";

const ADMIN_TOKEN = "e2e-admin-secret-4f1d9c";
/** git's answer to a 401 when it has no credential to give and may not prompt for one. */
const NO_USERNAME = /fatal: could not read Username for 'http:\/\/127\.0\.0\.1:\d+': terminal prompts disabled/;
/** What the worker says about a wrong, expired or revoked token, as git shows it. */
const BAD_TOKEN = /remote: the token is wrong, expired or revoked/;
/** No prompt of any kind: no terminal (as gitEnv already sets) and no askpass program from the environment. */
const NO_PROMPT = { GIT_TERMINAL_PROMPT: "0", SSH_ASKPASS: "" };

type Scope = "read" | "write" | "admin";
interface Minted {
  id: string;
  name: string;
  token: string;
}

let server: RunningServer;
let root: TmpDir;

/** A fetch of the API with `secret` as a Bearer token (the admin's unless given), JSON in and out. */
async function api(method: string, path: string, body?: unknown, secret: string = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${secret}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function mint(name: string, scopes: Scope[], extra: { expiresAt?: string } = {}): Promise<Minted> {
  const res = await api("POST", "/api/tokens", { name, repos: ["alice/*"], scopes, ...extra });
  expect(res.status, `POST /api/tokens ${name}`).toBe(201);
  const minted = (await res.json()) as Minted;
  expect(minted.token).toMatch(/^gow_[0-9a-f]{16}_[0-9a-f]{40}$/);
  return minted;
}

/** http://127.0.0.1:PORT/alice/<name>.git, without credentials. */
function repoUrl(name: string): string {
  return `${server.url}/alice/${name}.git`;
}

/** The same URL with `token` as the password (git ignores the user name, so any will do). */
function withToken(url: string, token: string): string {
  const u = new URL(url);
  u.username = "x";
  u.password = token;
  return u.href;
}

/** A fresh directory for one test, with a working copy `writer` on main holding `commits` commits. */
async function workingCopy(name: string, commits = 2): Promise<{ dir: string; writer: string }> {
  const dir = join(root.path, name);
  const writer = join(dir, "writer");
  await git(["init", "--quiet", "-b", "main", writer], { cwd: root.path });
  for (let i = 0; i < commits; i++) await commitFile(writer, "history.txt", `version ${i}\n`, `Commit ${i}`);
  return { dir, writer };
}

/** Creates repository alice/<name> with a push by `writer` (a write token); origin carries that token. */
async function createdRepo(name: string, writer: Minted, commits = 2): Promise<{ dir: string; work: string; url: string }> {
  const { dir, writer: work } = await workingCopy(name, commits);
  const url = repoUrl(name);
  await git(["remote", "add", "origin", withToken(url, writer.token)], { cwd: work });
  await git(["push", "--quiet", "--set-upstream", "origin", "main"], { cwd: work });
  return { dir, work, url };
}

/** The server's main, read with `token`. */
async function remoteMain(url: string, token: string, cwd: string): Promise<string | undefined> {
  return (await lsRemote(withToken(url, token), { cwd })).get("refs/heads/main");
}

async function refLog(name: string, query: string, token: string): Promise<{ ref: string; kind: string; actor: string; actorId: string | null; newOid: string }[]> {
  const res = await api("GET", `${apiBase(repoUrl(name)).slice(server.url.length)}/ref-log${query}`, undefined, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: any[] }).events;
}

// C git's http-backend has no tokens: this file only runs against our worker.
describe.skipIf(targetName() === "cgit")("access control in token mode", () => {
  beforeAll(async () => {
    root = await tmpDir("git-e2e-auth-");
    server = await startWorker({ vars: { AUTH_MODE: "token", ADMIN_TOKEN } });
  });

  afterAll(async () => {
    await server?.stop();
    await root?.cleanup();
  });

  it("refuses a push without credentials with 401, and creates nothing", async () => {
    const { writer } = await workingCopy("no-credentials");
    const url = repoUrl("no-credentials");
    const refused = await gitFails(["push", url, "main"], { cwd: writer, env: NO_PROMPT });
    expect(refused.stderr).toMatch(NO_USERNAME);

    const res = await fetch(`${url}/info/refs?service=git-receive-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
    expect(await res.text()).toContain("authentication required: alice/no-credentials needs a token with write access");
    // Not even an empty repository was made.
    expect((await api("GET", "/api/repos/alice/no-credentials")).status).toBe(404);
  });

  it("lets a read token clone but not push, and says why", async () => {
    const writer = await mint("read-test-writer", ["write"]);
    const reader = await mint("read-test-reader", ["read"]);
    const { dir, url } = await createdRepo("read-only", writer);
    const before = await remoteMain(url, reader.token, dir);

    const clone = join(dir, "clone");
    await git(["clone", "--quiet", withToken(url, reader.token), clone], { cwd: dir });
    await fsck(clone);
    expect(await revParse(clone, "HEAD")).toBe(before);

    await commitFile(clone, "history.txt", "from the reader\n", "By the reader");
    const refused = await gitFails(["push", "origin", "main"], { cwd: clone, env: NO_PROMPT });
    expect(refused.stderr).toContain("remote: this token cannot write to alice/read-only");
    expect(await remoteMain(url, reader.token, dir)).toBe(before);
  });

  it("lets a write token push, and the ref log names it", async () => {
    const first = await mint("deploy-bot", ["write"]);
    const second = await mint("release-bot", ["write"]);
    const { dir, work, url } = await createdRepo("named-actor", first);
    const created = await revParse(work, "HEAD");

    const next = await commitFile(work, "history.txt", "by the second token\n", "By release-bot");
    await git(["push", "--quiet", withToken(url, second.token), "main"], { cwd: work });
    expect(await remoteMain(url, first.token, dir)).toBe(next);

    const events = await refLog("named-actor", "", first.token);
    expect(events.map((e) => [e.kind, e.newOid, e.actor, e.actorId])).toEqual([
      ["update", next, "release-bot", second.id],
      ["create", created, "deploy-bot", first.id],
    ]);
    const filtered = await refLog("named-actor", "?actor=deploy-bot", first.token);
    expect(filtered.map((e) => [e.kind, e.actor])).toEqual([["create", "deploy-bot"]]);
    // The log of a private repository is not for anyone: without a token the API does not admit it exists.
    expect((await fetch(`${apiBase(url)}/ref-log`)).status).toBe(404);
  });

  it("refuses a force-push and a deletion of a protected branch, leaving it unchanged", async () => {
    const writer = await mint("protect-test-writer", ["write"]);
    const { dir, work, url } = await createdRepo("protected", writer, 3);
    const patched = await api("PATCH", "/api/repos/alice/protected", { protection: [{ pattern: "refs/heads/main" }] });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ protection: [{ pattern: "refs/heads/main", forcePush: false, deletion: false }] });

    // A fast-forward is still fine.
    const tip = await commitFile(work, "history.txt", "fast-forward\n", "A fast-forward");
    await git(["push", "--quiet", "origin", "main"], { cwd: work });
    expect(await remoteMain(url, writer.token, dir)).toBe(tip);

    await git(["reset", "--quiet", "--hard", "HEAD~2"], { cwd: work });
    await commitFile(work, "history.txt", "rewritten\n", "A rewrite");
    const forced = await gitFails(["push", "--force", "origin", "main"], { cwd: work });
    expect(forced.stderr).toMatch(/! \[remote rejected\] +main -> main \(protected: force-push is not allowed\)/);
    expect(await remoteMain(url, writer.token, dir)).toBe(tip);

    const deleted = await gitFails(["push", "origin", ":main"], { cwd: work });
    expect(deleted.stderr).toMatch(/! \[remote rejected\] +main \(protected: deletion is not allowed\)/);
    expect(await remoteMain(url, writer.token, dir)).toBe(tip);
  });

  it("refuses a revoked token at once", async () => {
    const writer = await mint("revoke-test-writer", ["write"]);
    const { dir, work, url } = await createdRepo("revoked", writer);
    const before = await revParse(work, "HEAD");
    await commitFile(work, "history.txt", "after revocation\n", "Pushed with a revoked token");

    expect((await api("DELETE", `/api/tokens/${writer.id}`)).status).toBe(204);
    const refused = await gitFails(["push", "origin", "main"], { cwd: work, env: NO_PROMPT });
    expect(refused.stderr).toMatch(BAD_TOKEN);
    expect(refused.stderr).toMatch(/fatal: Authentication failed for 'http:\/\/127\.0\.0\.1:\d+\/alice\/revoked\.git\/'/);

    const listed = (await (await api("GET", "/api/tokens")).json()) as { tokens: { id: string }[] };
    expect(listed.tokens.map((t) => t.id)).not.toContain(writer.id);
    const reader = await mint("revoke-test-reader", ["read"]);
    expect(await remoteMain(url, reader.token, dir)).toBe(before);
  });

  it("refuses an expired token", async () => {
    const expiresAt = new Date(Date.now() + 4_000);
    const writer = await mint("expiring", ["write"], { expiresAt: expiresAt.toISOString() });
    const { dir, work, url } = await createdRepo("expired", writer); // while it is still valid
    const before = await revParse(work, "HEAD");
    await commitFile(work, "history.txt", "after expiry\n", "Pushed with an expired token");

    await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 500);
    const refused = await gitFails(["push", "origin", "main"], { cwd: work, env: NO_PROMPT });
    expect(refused.stderr).toMatch(BAD_TOKEN);
    expect(refused.stderr).toMatch(/fatal: Authentication failed/);
    const clone = await gitFails(["clone", withToken(url, writer.token), join(dir, "clone")], { cwd: dir, env: NO_PROMPT });
    expect(clone.stderr).toMatch(BAD_TOKEN);

    const reader = await mint("expire-test-reader", ["read"]);
    expect(await remoteMain(url, reader.token, dir)).toBe(before);
  });

  it("clones a private repository only with a token, until it is made public", async () => {
    const writer = await mint("private-test-writer", ["write"]);
    const reader = await mint("private-test-reader", ["read"]);
    const { dir, work, url } = await createdRepo("private", writer);
    const tip = await revParse(work, "HEAD");

    const anonymous = await gitFails(["clone", url, join(dir, "anonymous")], { cwd: dir, env: NO_PROMPT });
    expect(anonymous.stderr).toMatch(NO_USERNAME);
    // A missing repository answers the same, so that a private one does not show it exists.
    const missing = await gitFails(["clone", repoUrl("no-such-repo"), join(dir, "missing")], { cwd: dir, env: NO_PROMPT });
    const answer = (stderr: string) => stderr.split("\n").filter((line) => !line.startsWith("Cloning into"));
    expect(answer(missing.stderr)).toEqual(answer(anonymous.stderr));

    await git(["clone", "--quiet", withToken(url, reader.token), join(dir, "with-token")], { cwd: dir });
    expect(await revParse(join(dir, "with-token"), "HEAD")).toBe(tip);

    const patched = await api("PATCH", "/api/repos/alice/private", { visibility: "public" });
    expect(patched.status).toBe(200);
    await git(["clone", "--quiet", url, join(dir, "public")], { cwd: dir, env: NO_PROMPT });
    await fsck(join(dir, "public"));
    expect(await revParse(join(dir, "public"), "HEAD")).toBe(tip);

    // Public is for reading: an anonymous push is still asked for credentials.
    const publicClone = join(dir, "public");
    await commitFile(publicClone, "history.txt", "anonymous\n", "Anonymous");
    const push = await gitFails(["push", "origin", "main"], { cwd: publicClone, env: NO_PROMPT });
    expect(push.stderr).toMatch(NO_USERNAME);
    expect(await remoteMain(url, reader.token, dir)).toBe(tip);
  });

  it("takes the token from a credential helper, with none in the URL", async () => {
    const writer = await mint("helper-bot", ["write"]);
    const { dir, writer: work } = await workingCopy("credential-helper");
    const url = repoUrl("credential-helper");
    const credentials = join(dir, "git-credentials");
    await writeFile(credentials, `http://x:${writer.token}@${new URL(server.url).host}\n`, { mode: 0o600 });
    const helper = `store --file=${credentials}`;
    const home = gitEnv().HOME!;
    const globalConfig = await readFile(join(home, ".gitconfig"), "utf8");

    await git(["config", "credential.helper", helper], { cwd: work });
    await git(["remote", "add", "origin", url], { cwd: work });
    await git(["push", "--quiet", "--set-upstream", "origin", "main"], { cwd: work, env: NO_PROMPT });

    const clone = join(dir, "clone");
    await git(["clone", "--quiet", "-c", `credential.helper=${helper}`, url, clone], { cwd: dir, env: NO_PROMPT });
    expect(await revParse(clone, "HEAD")).toBe(await revParse(work, "HEAD"));
    expect((await git(["config", "remote.origin.url"], { cwd: clone })).stdout.trim()).toBe(url);
    const tip = await commitFile(clone, "history.txt", "through the helper\n", "Through the helper");
    await git(["push", "--quiet", "origin", "main"], { cwd: clone, env: NO_PROMPT });

    expect(await remoteMain(url, writer.token, dir)).toBe(tip);
    expect((await refLog("credential-helper", "", writer.token)).map((e) => [e.kind, e.actor])).toEqual([
      ["update", "helper-bot"],
      ["create", "helper-bot"],
    ]);
    // The helper lived in the repositories' own config and file: the harness's HOME is as it was.
    expect(await readFile(join(home, ".gitconfig"), "utf8")).toBe(globalConfig);
    expect(existsSync(join(home, ".git-credentials"))).toBe(false);
  });
});
