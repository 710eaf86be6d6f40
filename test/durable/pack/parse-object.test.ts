import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "../../../durable/pack/hex";
import { findTreeEntry, forEachLink, parseCommit, parseTag, parseTree } from "../../../durable/pack/parse-object";

const text = (s: string) => new TextEncoder().encode(s);
const T = "1".repeat(40);
const P1 = "2".repeat(40);
const P2 = "3".repeat(40);

describe("object link parsers", () => {
  it("reads a commit's tree, parents and committer time", () => {
    const commit = text(`tree ${T}\nparent ${P1}\nparent ${P2}\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 1600000000 -0130\n\nmsg\nparent ${"9".repeat(40)}\n`);
    expect(parseCommit(commit)).toEqual({ tree: T, parents: [P1, P2], time: 1600000000 });
  });

  it("rejects a commit without a tree", () => {
    expect(() => parseCommit(text("author x\n\n"))).toThrow(/no tree/);
  });

  it("reads a tag's target", () => {
    expect(parseTag(text(`object ${T}\ntype commit\ntag v1\ntagger x <y> 1 +0000\n\nmsg`))).toEqual({ object: T, type: "commit" });
    expect(() => parseTag(text("tag v1\n"))).toThrow();
  });

  it("reads tree entries, gitlinks included", () => {
    const entry = (mode: string, name: string, oid: string) => [...text(`${mode} ${name}\0`), ...hexToBytes(oid)];
    const tree = new Uint8Array([...entry("100644", "a.txt", T), ...entry("40000", "dir", P1), ...entry("160000", "sub", P2)]);
    expect(parseTree(tree)).toEqual([
      { mode: "100644", oid: T },
      { mode: "40000", oid: P1 },
      { mode: "160000", oid: P2 },
    ]);
    expect(() => parseTree(tree.subarray(0, tree.length - 3))).toThrow(/malformed/);
  });

  it("finds one tree entry by its name's bytes", () => {
    const entry = (mode: string, name: string, oid: string) => [...text(`${mode} ${name}\0`), ...hexToBytes(oid)];
    const tree = new Uint8Array([...entry("100644", "a", T), ...entry("100644", "a.txt", P1), ...entry("40000", "é dir", P2)]);
    expect(findTreeEntry(tree, "a.txt")).toEqual({ mode: "100644", oid: P1 });
    expect(findTreeEntry(tree, "a")).toEqual({ mode: "100644", oid: T });
    expect(findTreeEntry(tree, "é dir")).toEqual({ mode: "40000", oid: P2 });
    expect(findTreeEntry(tree, "a.tx")).toBeNull();
    expect(findTreeEntry(new Uint8Array(0), "a")).toBeNull();
    expect(() => findTreeEntry(tree.subarray(0, tree.length - 3), "zzz")).toThrow(/malformed/);
  });

  describe("forEachLink", () => {
    const links = (type: "commit" | "tree" | "tag", data: Uint8Array) => {
      const found: string[] = [];
      forEachLink(type, data, (bytes, at) => found.push(bytesToHex(bytes.subarray(at, at + 20))));
      return found;
    };

    it("gives a commit's tree and parents, not ids in its message", () => {
      const commit = text(`tree ${T}\nparent ${P1}\nparent ${P2}\nauthor A <a@b> 1 +0000\n\nparent ${"9".repeat(40)}\n`);
      expect(links("commit", commit)).toEqual([T, P1, P2]);
    });

    it("gives a tag's object", () => {
      expect(links("tag", text(`object ${T}\ntype commit\ntag v1\n\nobject ${P1}\n`))).toEqual([T]);
    });

    it("gives tree entries but gitlinks, and rejects a cut entry", () => {
      const entry = (mode: string, name: string, oid: string) => [...text(`${mode} ${name}\0`), ...hexToBytes(oid)];
      const tree = new Uint8Array([...entry("100644", "a.txt", T), ...entry("160000", "sub", P2), ...entry("40000", "dir", P1)]);
      expect(links("tree", tree)).toEqual([T, P1]);
      expect(() => links("tree", tree.subarray(0, tree.length - 3))).toThrow(/malformed/);
    });

    it("says which tree entries are directories, in git's mode and in old trees' 040000", () => {
      const entry = (mode: string, name: string, oid: string) => [...text(`${mode} ${name}\0`), ...hexToBytes(oid)];
      const tree = new Uint8Array([...entry("100755", "run", T), ...entry("40000", "dir", P1), ...entry("040000", "old", P2), ...entry("120000", "link", T)]);
      const dirs: boolean[] = [];
      forEachLink("tree", tree, (_bytes, _at, isTree) => dirs.push(isTree));
      expect(dirs).toEqual([false, true, true, false]);
    });

    it("rejects an id that is not lowercase hex", () => {
      expect(() => links("commit", text(`tree ${"A".repeat(40)}\n\n`))).toThrow(/hex/);
    });
  });
});
