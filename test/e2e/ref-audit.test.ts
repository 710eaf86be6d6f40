// The ref audit API against real git: a force-push shows up in the log as kind "force", a restore
// through the API puts the old tip back, and git fetch and a fresh clone see it (fsck clean).
import { expect, it } from "vitest";
import { apiBase, getJson } from "../support/api";
import { fsck, git, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { targetName } from "../support/target";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();
const ZERO = "0".repeat(40);

// C git's http-backend has no such API: this file only runs against our worker.
it.skipIf(targetName() === "cgit")("logs a force-push, restores the old tip through the API, and git sees it back", async () => {
  const ws = await pushedWorkspace(harness, "ref-audit", { commits: 3 });
  const api = apiBase(ws.url);
  const oldTip = await revParse(ws.writer, "HEAD");
  const reader = await ws.clone("reader");

  await git(["commit", "--quiet", "--amend", "-m", "Commit 2, rewritten"], { cwd: ws.writer });
  const rewritten = await revParse(ws.writer, "HEAD");
  await git(["push", "--quiet", "--force", "origin", "main"], { cwd: ws.writer });
  await git(["fetch", "--quiet", "origin"], { cwd: reader });
  expect(await revParse(reader, "refs/remotes/origin/main")).toBe(rewritten);

  const log = await getJson(`${api}/ref-log?ref=refs/heads/main`);
  expect(log.events.map((e: any) => [e.kind, e.oldOid, e.newOid])).toEqual([
    ["force", oldTip, rewritten],
    ["create", ZERO, oldTip],
  ]);
  const [force, create] = log.events;
  const push = await getJson(`${api}/pushes/${force.pushId}`);
  expect(push).toMatchObject({ pushId: force.pushId, actor: "anonymous", events: [force] });
  expect(push.pack).toMatchObject({ id: expect.any(Number), bytes: expect.any(Number) });
  expect((await getJson(`${api}/refs?at=${create.seq}`)).refs["refs/heads/main"]).toBe(oldTip);

  const res = await fetch(`${api}/refs/restore`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ref: "refs/heads/main", seq: create.seq }) });
  expect(res.status).toBe(201);
  expect(((await res.json()) as { event: unknown }).event).toMatchObject({ kind: "restore", ref: "refs/heads/main", oldOid: rewritten, newOid: oldTip, actor: "anonymous" });

  await git(["fetch", "--quiet", "origin"], { cwd: reader });
  expect(await revParse(reader, "refs/remotes/origin/main")).toBe(oldTip);
  const fresh = await ws.clone("fresh");
  expect(await revParse(fresh, "HEAD")).toBe(oldTip);
  await fsck(fresh);

  expect(await getJson(`${api}/ref-log/verify`)).toEqual({ ok: true, events: 3 });
  const lines: { kind: string }[] = (await (await fetch(`${api}/ref-log.ndjson`)).text()).trimEnd().split("\n").map((l) => JSON.parse(l));
  expect(lines.map((e) => e.kind)).toEqual(["create", "force", "restore"]);
});
