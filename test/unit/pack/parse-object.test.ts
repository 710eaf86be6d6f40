import { describe, expect, it } from "vitest";
import { hexToBytes } from "../../../durable/pack/hex";
import { parseCommit, parseTag, parseTree } from "../../../durable/pack/parse-object";

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
});
