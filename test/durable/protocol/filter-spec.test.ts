// Filter specs of partial clone (durable/protocol/filter-spec.ts): each form git rev-list --filter
// takes, combine: with percent-encoded parts, and malformed specs refused with git's words.
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../durable/errors";
import { OBJ_BLOB, OBJ_TREE } from "../../../durable/pack/types";
import { filterParts, parseFilterSpec } from "../../../durable/protocol/filter-spec";

describe("parseFilterSpec", () => {
  it("reads each filter form", () => {
    expect(parseFilterSpec("blob:none")).toEqual({ kind: "blob:none" });
    expect(parseFilterSpec("blob:limit=0")).toEqual({ kind: "blob:limit", bytes: 0 });
    expect(parseFilterSpec("blob:limit=1k")).toEqual({ kind: "blob:limit", bytes: 1024 });
    expect(parseFilterSpec("blob:limit=3M")).toEqual({ kind: "blob:limit", bytes: 3 * 1024 ** 2 });
    expect(parseFilterSpec("blob:limit=2g")).toEqual({ kind: "blob:limit", bytes: 2 * 1024 ** 3 });
    expect(parseFilterSpec("tree:0")).toEqual({ kind: "tree", depth: 0 });
    expect(parseFilterSpec("tree:12")).toEqual({ kind: "tree", depth: 12 });
    expect(parseFilterSpec("object:type=blob")).toEqual({ kind: "object:type", type: OBJ_BLOB });
    expect(parseFilterSpec("sparse:oid=main:.sparse")).toEqual({ kind: "sparse:oid", oid: "main:.sparse" });
  });

  it("reads combine: parts, percent-decoded, and flattens them", () => {
    const filter = parseFilterSpec("combine:blob:limit=1k+tree:2+object:type%3Dtree");
    expect(filter).toEqual({
      kind: "combine",
      filters: [
        { kind: "blob:limit", bytes: 1024 },
        { kind: "tree", depth: 2 },
        { kind: "object:type", type: OBJ_TREE },
      ],
    });
    expect(filterParts(parseFilterSpec("combine:blob:none+combine%3Atree%3A1%2Btree%3A3")).map((f) => f.kind)).toEqual(["blob:none", "tree", "tree"]);
    expect(filterParts(parseFilterSpec("tree:1"))).toEqual([{ kind: "tree", depth: 1 }]);
  });

  it.each([
    ["", /invalid filter-spec ""/],
    ["blob:some", /invalid filter-spec "blob:some"/],
    ["blob:limit=", /invalid filter-spec/],
    ["blob:limit=1t", /invalid filter-spec/],
    ["blob:limit=-1", /invalid filter-spec/],
    ["tree:", /expected 'tree:<depth>'/],
    ["tree:x", /expected 'tree:<depth>'/],
    ["object:type=file", /"file" for 'object:type=<type>' is not a valid object type/],
    ["sparse:oid=", /invalid filter-spec/],
    ["sparse:path=/etc/passwd", /invalid filter-spec/],
    ["combine:", /expected a filter-spec on each side/],
    ["combine:blob:none+", /expected a filter-spec on each side/],
    ["combine:blob:none+tree:1 ", /must escape char in sub-filter-spec: " "/],
    ["combine:blob:none+tree:1;", /must escape char/],
    ["combine:blob:none+tree%3", /malformed percent-encoding/],
  ])("refuses %j", (spec, message) => {
    expect(() => parseFilterSpec(spec)).toThrow(ProtocolError);
    expect(() => parseFilterSpec(spec)).toThrow(message);
  });
});
