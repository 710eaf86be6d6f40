// The boundary of a shallow fetch (durable/walk/shallow.ts) over small histories written as parent
// lists: git's depth rule and its revision-walk rule for deepen-since and deepen-not. (That the
// commits equal C git's is checked against git http-backend in test/e2e/partial-clone.test.ts.)
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../durable/errors";
import type { CommitLinks } from "../../../durable/pack/parse-object";
import { boundaryByDepth, boundaryByRevList } from "../../../durable/walk/shallow";

/** A history from "commit: parent parent" lines; commit times count down from the first line. */
function history(...lines: string[]) {
  const links = new Map<string, CommitLinks>();
  lines.forEach((line, i) => {
    const [oid, parents] = line.split(":");
    links.set(oid!.trim(), { tree: "t", parents: (parents ?? "").trim().split(/\s+/).filter(Boolean), time: 1000 - i * 10 });
  });
  return async (oid: string) => links.get(oid) ?? null;
}

const sorted = (set: Set<string>) => [...set].sort();

// a - b - c - d - e (root)
//      \         /
//       x ------
const merge = history("a: b", "b: c x", "c: d", "x: e", "d: e", "e:");

describe("boundaryByDepth", () => {
  it("cuts a line of history `depth` commits deep", async () => {
    const line = history("a: b", "b: c", "c: d", "d:");
    const { shallow, inside } = await boundaryByDepth(["a"], 2, line);
    expect(sorted(shallow)).toEqual(["b"]);
    expect(sorted(inside)).toEqual(["a"]);
  });

  it("cuts every path at the depth, across a merge", async () => {
    const { shallow, inside } = await boundaryByDepth(["a"], 4, merge);
    expect(sorted(inside)).toEqual(["a", "b", "c", "x"]);
    expect(sorted(shallow)).toEqual(["d", "e"]);
  });

  it("keeps inside a commit that a shorter path reaches after a longer one made it shallow", async () => {
    // Depth first from a, last parent first: a-b-c-d reaches d at depth 4 (shallow), then a-y-d at 3.
    const late = history("a: y b", "b: c", "c: d", "y: d", "d: e", "e:");
    const { shallow, inside } = await boundaryByDepth(["a"], 4, late);
    expect(sorted(inside)).toEqual(["a", "b", "c", "d", "y"]);
    expect(sorted(shallow)).toEqual(["e"]);
  });

  it("makes even a root commit shallow at the depth, as git does", async () => {
    const { shallow } = await boundaryByDepth(["e"], 1, merge);
    expect(sorted(shallow)).toEqual(["e"]);
  });
});

describe("boundaryByRevList", () => {
  it("stops at the history of a deepen-not commit", async () => {
    const { shallow, inside } = await boundaryByRevList(["a"], ["d"], undefined, merge);
    expect(sorted(inside)).toEqual(["a", "b"]);
    expect(sorted(shallow)).toEqual(["c", "x"]);
  });

  it("passes by commits older than deepen-since", async () => {
    // x (970) and d (960) are older: b and c lose a parent each.
    const { shallow, inside } = await boundaryByRevList(["a"], [], 975, merge);
    expect(sorted(inside)).toEqual(["a"]);
    expect(sorted(shallow)).toEqual(["b", "c"]);
  });

  it("refuses a request that selects no commit", async () => {
    await expect(boundaryByRevList(["d"], ["a"], undefined, merge)).rejects.toThrow(ProtocolError);
    await expect(boundaryByRevList(["e"], [], 2000, merge)).rejects.toThrow("no commits selected for shallow requests");
  });
});
