// A push can never hurt a repository: objects that would break clones or attack git clients are
// refused with the rule named (by the real git CLI where it can send them, else by pushes built by
// hand, since git's pack-objects will not pack some of them), nothing of them is stored, and the
// repository still clones fsck-clean and still repacks. Each kind of early-answered request is sent
// 20 times in a row, and the same server then still pushes and clones.
import { expect, it } from "vitest";
import { fsck, git, gitFails, lsRemote, revParse } from "../../bench/harness/git";
import { commitFile } from "../support/fixtures";
import { useHarness } from "../support/harness";
import { commit, object, pushBody, tree, type HandObject } from "../support/hand-pack";
import { targetName } from "../support/target";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();
const worker = targetName() === "worker";

const blob = object("blob", "hello\n");
const good = tree(["100644", "a", blob.oid]);
const withTree = (t: HandObject) => [blob, t, commit(t.oid)];

/** Hand-built pushes, each with the rule the server must name. */
const BAD: [string, string, () => HandObject[]][] = [
  ["a commit whose tree line has 39 hex digits", "badTreeSha1", () => [blob, good, commit(good.oid.slice(0, 39))]],
  ["a commit whose tree is a blob", "badObjectType", () => [blob, commit(blob.oid)]],
  ["a directory entry that names a blob", "badObjectType", () => withTree(tree(["40000", "d", blob.oid]))],
  ["an empty entry name", "emptyName", () => withTree(tree(["100644", "", blob.oid]))],
  ["mode 999999", "badTree", () => withTree(tree(["999999", "f", blob.oid]))],
  ["an entry named ..", "hasDotdot", () => withTree(tree(["100644", "..", blob.oid]))],
  ["an entry with a slash", "fullPathname", () => withTree(tree(["100644", "a/b", blob.oid]))],
  ["duplicate entries", "duplicateEntries", () => withTree(tree(["100644", "a", blob.oid], ["100644", "a", blob.oid]))],
  ["unsorted entries", "treeNotSorted", () => withTree(tree(["100644", "b", blob.oid], ["100644", "a", blob.oid]))],
  ["a malformed author line", "missingEmail", () => [blob, good, object("commit", `tree ${good.oid}\nauthor nobody 1700000000 +0000\ncommitter A <a@b> 1700000000 +0000\n\nx\n`)]],
  ["a NUL in a commit header", "nulInHeader", () => [blob, good, object("commit", `tree ${good.oid}\nauthor A <a@b> 1700000000 +0000\ncommitter A <a@b> 1700000000 +0000\nx\0y\n\nx\n`)]],
  ["a .gitmodules path starting with -", "gitmodulesPath", () => gitmodulesPush('[submodule "x"]\n\tpath = -x\n\turl = https://example.com/x.git\n')],
  ["a .gitmodules url that climbs out with ../", "gitmodulesUrl", () => gitmodulesPush('[submodule "x"]\n\tpath = x\n\turl = http://example.com/../../x\n')],
  ["a symlinked .gitmodules", "gitmodulesSymlink", () => withTree(tree(["120000", ".gitmodules", blob.oid]))],
];

function gitmodulesPush(text: string): HandObject[] {
  const modules = object("blob", text);
  return [modules, ...withTree(tree(["100644", ".gitmodules", modules.oid]))];
}

it.skipIf(!worker)("refuses each malicious object of a hand-built push, naming the object and the rule, and stays clonable", async () => {
  const ws = await pushedWorkspace(harness, "hand-built");
  const before = await lsRemote(ws.url, { cwd: ws.dir });
  for (const [what, rule, objects] of BAD) {
    const sent = objects();
    const res = await fetch(`${ws.url}/git-receive-pack`, { method: "POST", body: pushBody("refs/heads/bad", sent[sent.length - 1]!.oid, sent), headers: { "Content-Type": "application/x-git-receive-pack-request" } });
    const text = new TextDecoder("latin1").decode(await res.arrayBuffer());
    expect(res.status, what).toBe(200);
    expect(text, what).toMatch(new RegExp(`error: object [0-9a-f]{40}: ${rule}: `));
    expect(text, what).toContain(`unpack ${rule}`);
    expect(await lsRemote(ws.url, { cwd: ws.dir }), what).toEqual(before);
  }
  const clone = await ws.clone("after");
  await fsck(clone);
  const housekeeping = await fetch(`${new URL(ws.url).origin}/api/repos/alice/hand-built/housekeeping`, { method: "POST" });
  expect(housekeeping.status).toBe(200);
});

it.skipIf(!worker)("refuses through git push what git itself sends: a .GIT entry and an option-like submodule url", async () => {
  const ws = await pushedWorkspace(harness, "git-sent");
  const hash = async (type: string, input: string | Buffer) => (await git(["hash-object", "--literally", "-t", type, "-w", "--stdin"], { cwd: ws.writer, input })).stdout.trim();
  const blobOid = await revParse(ws.writer, "HEAD:history.txt");
  const modules = await hash("blob", '[submodule "x"]\n\tpath = x\n\turl = -oProxyCommand=touch-pwned\n');
  const cases: [string, string][] = [
    ["hasDotgit", `100644 blob ${blobOid}\t.GIT\n`],
    ["gitmodulesUrl", `100644 blob ${modules}\t.gitmodules\n`],
  ];
  const head = await revParse(ws.writer, "HEAD");
  for (const [rule, listing] of cases) {
    const treeOid = (await git(["mktree"], { cwd: ws.writer, input: listing })).stdout.trim();
    const commitOid = (await git(["commit-tree", treeOid, "-p", head, "-m", "evil"], { cwd: ws.writer })).stdout.trim();
    const { stderr } = await gitFails(["-c", "transfer.fsckObjects=false", "push", "origin", `${commitOid}:refs/heads/evil`], { cwd: ws.writer });
    expect(stderr).toMatch(new RegExp(`remote: error: object [0-9a-f]{40}: ${rule}: `));
    expect(stderr).toContain(`error: remote unpack failed: ${rule}`);
  }
  expect((await lsRemote(ws.url, { cwd: ws.dir })).has("refs/heads/evil")).toBe(false);
  await fsck(await ws.clone("after"));
});

it.skipIf(!worker)("keeps serving after each kind of early-answered request, 20 times in a row", async () => {
  const ws = await pushedWorkspace(harness, "early");
  const url = ws.url;
  const junk = new Uint8Array(300_000).fill(7);
  const line = `${"0".repeat(40)} ${"1".repeat(40)} refs/heads/x\0report-status\n`;
  const command = `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;
  const early: [string, () => Promise<Response>][] = [
    ["a bad pkt-line length, then 300 KB", () => fetch(`${url}/git-receive-pack`, { method: "POST", body: Buffer.concat([Buffer.from("zzzz"), junk]) })],
    ["a bad pack signature", () => fetch(`${url}/git-receive-pack`, { method: "POST", body: Buffer.concat([Buffer.from(`${command}0000NOPE`), junk]) })],
    ["an API body over 64 KiB", () => fetch(`${new URL(url).origin}/api/repos/alice/early/refs/restore`, { method: "POST", body: junk })],
    ["an upload-pack request that is not gzip", () => fetch(`${url}/git-upload-pack`, { method: "POST", body: junk, headers: { "Content-Encoding": "gzip" } })],
  ];
  for (const [what, send] of early) {
    for (let i = 0; i < 20; i++) {
      const res = await send();
      await res.arrayBuffer();
      expect(res.status, what).toBeLessThan(500);
    }
  }
  await commitFile(ws.writer, "after.txt", "still here\n", "After the storm");
  await git(["push", "--quiet", "origin", "main"], { cwd: ws.writer });
  const clone = await ws.clone("after");
  await fsck(clone);
  expect(await revParse(clone, "HEAD")).toBe(await revParse(ws.writer, "HEAD"));
});
