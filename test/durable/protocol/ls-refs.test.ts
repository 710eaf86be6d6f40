import { describe, expect, it } from "vitest";
import { encodeLsRefs, type LsRef } from "../../../durable/protocol/ls-refs";
import type { LsRefsRequest } from "../../../durable/protocol/upload-request";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const A = "74730d410fcb6603ace96f1dc55ea6196122532d";
const T = "525128480b96c89e6418b1e40909bf6c5b2d580f";

const request = (over: Partial<LsRefsRequest> = {}): LsRefsRequest => ({ symrefs: false, peel: false, unborn: false, prefixes: [], ...over });

const refs: LsRef[] = [
  { name: "HEAD", oid: A, symrefTarget: "refs/heads/main" },
  { name: "refs/heads/main", oid: A },
  { name: "refs/tags/v1", oid: T, peeled: A },
];

describe("encodeLsRefs", () => {
  it("lists oid and name only without symrefs or peel", () => {
    expect(text(encodeLsRefs(refs, request()))).toBe(`0032${A} HEAD\n` + `003d${A} refs/heads/main\n` + `003a${T} refs/tags/v1\n` + "0000");
  });

  it("adds symref-target and peeled when asked", () => {
    expect(text(encodeLsRefs(refs, request({ symrefs: true, peel: true })))).toBe(
      `0050${A} HEAD symref-target:refs/heads/main\n` + `003d${A} refs/heads/main\n` + `006a${T} refs/tags/v1 peeled:${A}\n` + "0000",
    );
  });

  it("shows an unborn HEAD only when asked", () => {
    const unborn: LsRef[] = [{ name: "HEAD", oid: null, symrefTarget: "refs/heads/main" }];
    expect(text(encodeLsRefs(unborn, request({ symrefs: true })))).toBe("0000");
    expect(text(encodeLsRefs(unborn, request({ symrefs: true, unborn: true })))).toBe("002eunborn HEAD symref-target:refs/heads/main\n0000");
    expect(text(encodeLsRefs(unborn, request({ unborn: true, peel: true })))).toBe("0010unborn HEAD\n0000");
  });

  it("writes just a flush for no refs", () => {
    expect(text(encodeLsRefs([], request()))).toBe("0000");
  });
});
