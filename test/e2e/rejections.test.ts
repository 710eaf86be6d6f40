// Pushes that must change nothing: a forced rewrite of a protected branch (the worker with
// DENY_NON_FAST_FORWARD=refs/heads/main, C git with receive.denyNonFastForwards), and atomic pushes
// of two refs of which one fails, on the server or already in the client.
import { expect, it } from "vitest";
import { commitFile } from "../support/fixtures";
import { git, gitFails, lsRemote, revParse } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness({ denyNonFastForward: true });

/** The server's verdict on main as git prints it, e.g. " ! [remote rejected] main -> main (non-fast-forward)". */
const MAIN_REFUSED = /! \[remote rejected\] +main -> main \([^)\n]*non-fast-forward[^)\n]*\)/;

it("refuses a forced non-fast-forward update of a protected branch", async () => {
  const ws = await pushedWorkspace(harness, "deny-non-ff", { commits: 3 });
  const fastForward = await commitFile(ws.writer, "history.txt", "fast-forward\n", "A fast-forward");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });

  await git(["reset", "--quiet", "--hard", "HEAD~2"], { cwd: ws.writer });
  await commitFile(ws.writer, "history.txt", "rewritten\n", "A rewrite");
  const { stderr } = await gitFails(["push", "--force", "origin", "main"], { cwd: ws.writer });
  expect(stderr).toMatch(MAIN_REFUSED);
  expect((await lsRemote(ws.url, { cwd: ws.dir })).get("refs/heads/main")).toBe(fastForward);
});

it("applies no part of an atomic push when the server refuses one of its refs", async () => {
  const ws = await pushedWorkspace(harness, "atomic-server", { branches: ["feature"] });
  const before = await lsRemote(ws.url, { cwd: ws.dir });
  await git(["commit", "--quiet", "--amend", "-m", "Rewritten"], { cwd: ws.writer }); // main: refused
  await git(["checkout", "--quiet", "feature"], { cwd: ws.writer });
  await commitFile(ws.writer, "feature.txt", "more\n", "A fast-forward of feature"); // feature: fine alone
  await git(["checkout", "--quiet", "main"], { cwd: ws.writer });

  const { stderr } = await gitFails(["push", "--atomic", "--force", "origin", "main", "feature"], { cwd: ws.writer });
  expect(stderr).toMatch(MAIN_REFUSED);
  expect(stderr).toMatch(/! \[remote rejected\] +feature -> feature \(/);
  expect(await lsRemote(ws.url, { cwd: ws.dir })).toEqual(before);

  // The control: without --atomic, the same push still loses main but does update feature.
  const plain = await gitFails(["push", "--force", "origin", "main", "feature"], { cwd: ws.writer });
  expect(plain.stderr).toMatch(MAIN_REFUSED);
  const after = await lsRemote(ws.url, { cwd: ws.dir });
  expect(after.get("refs/heads/main")).toBe(before.get("refs/heads/main"));
  expect(after.get("refs/heads/feature")).toBe(await revParse(ws.writer, "feature"));
});

it("applies no part of an atomic push when one of its refs is stale", async () => {
  const ws = await pushedWorkspace(harness, "atomic-stale", { branches: ["feature"] });
  const other = await ws.clone("other");
  await commitFile(other, "other.txt", "first\n", "Pushed first by another clone");
  await git(["push", "--quiet", "origin", "main"], { cwd: other });
  const before = await lsRemote(ws.url, { cwd: ws.dir });

  await commitFile(ws.writer, "writer.txt", "late\n", "Made before fetching"); // main: behind the server
  await git(["checkout", "--quiet", "feature"], { cwd: ws.writer });
  await commitFile(ws.writer, "feature.txt", "more\n", "A fast-forward of feature");
  await git(["checkout", "--quiet", "main"], { cwd: ws.writer });

  const { stderr } = await gitFails(["push", "--atomic", "origin", "main", "feature"], { cwd: ws.writer });
  expect(stderr).toMatch(/! \[rejected\] +main -> main \(fetch first\)/);
  expect(stderr).toContain("atomic push failed"); // git 2.39 names only the first failing ref
  expect(await lsRemote(ws.url, { cwd: ws.dir })).toEqual(before);
});
