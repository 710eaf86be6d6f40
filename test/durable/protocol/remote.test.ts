// The client-side codecs of imports (durable/protocol/remote.ts) on byte vectors: v0 and v2
// advertisements as git http-backend writes them, ls-refs answers, the requests, and malformed input.
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../durable/errors";
import { encodePkts } from "../../../durable/protocol/pktline";
import { fetchRequestV2, lsRefsRequest, parseInfoRefs, parseLsRefs, uploadRequestV0 } from "../../../durable/protocol/remote";

const A = "a".repeat(40);
const B = "b".repeat(40);
const ZERO = "0".repeat(40);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const FLUSH = { kind: "flush" } as const;

describe("import codecs", () => {
  it("reads a v0 advertisement after the service line: branches and tags, HEAD's symref, no peeled lines", () => {
    const body = encodePkts([
      "# service=git-upload-pack\n", FLUSH,
      `${A} HEAD\0multi_ack side-band-64k ofs-delta symref=HEAD:refs/heads/main agent=git/2.39\n`,
      `${A} refs/heads/main\n`, `${B} refs/tags/v1\n`, `${A} refs/tags/v1^{}\n`, `${B} refs/pull/1/head\n`, FLUSH,
    ]);
    expect(parseInfoRefs(body)).toEqual({
      version: 0,
      refs: [{ name: "refs/heads/main", oid: A }, { name: "refs/tags/v1", oid: B }],
      head: "refs/heads/main",
      capabilities: ["multi_ack", "side-band-64k", "ofs-delta", "symref=HEAD:refs/heads/main", "agent=git/2.39"],
    });
  });

  it("reads an empty repository's v0 advertisement as no refs", () => {
    expect(parseInfoRefs(encodePkts([`${ZERO} capabilities^{}\0side-band-64k\n`, FLUSH])).refs).toEqual([]);
  });

  it("recognizes a v2 capability advertisement, then reads ls-refs with HEAD's target", () => {
    const caps = encodePkts(["version 2\n", "agent=git/2.39.5\n", "ls-refs=unborn\n", "fetch=shallow wait-for-done\n", FLUSH]);
    expect(parseInfoRefs(caps)).toEqual({ version: 2, refs: [], head: null, capabilities: ["agent=git/2.39.5", "ls-refs=unborn", "fetch=shallow wait-for-done"] });
    const listed = encodePkts([`${A} HEAD symref-target:refs/heads/trunk\n`, `${A} refs/heads/trunk\n`, `${B} refs/tags/v2 peeled:${A}\n`, FLUSH]);
    expect(parseLsRefs(listed)).toEqual({ refs: [{ name: "refs/heads/trunk", oid: A }, { name: "refs/tags/v2", oid: B }], head: "refs/heads/trunk" });
  });

  it("writes ls-refs, fetch and v0 upload requests as git does (flush and delim markers, not data)", () => {
    expect(text(lsRefsRequest())).toBe("0014command=ls-refs\n0001000csymrefs\n0014ref-prefix HEAD\n001bref-prefix refs/heads/\n001aref-prefix refs/tags/\n0000");
    expect(text(fetchRequestV2([A]))).toBe(`0012command=fetch\n0001000eofs-delta\n0010no-progress\n0032want ${A}\n0009done\n0000`);
    expect(text(uploadRequestV0([A, B]))).toBe(`0056want ${A} side-band-64k ofs-delta no-progress\n0032want ${B}\n00000009done\n`);
    expect(() => uploadRequestV0([])).toThrow(ProtocolError);
    expect(() => fetchRequestV2([])).toThrow(ProtocolError);
  });

  it("writes the haves after the wants, so the remote leaves out what the repository has", () => {
    expect(text(fetchRequestV2([A], [B]))).toBe(`0012command=fetch\n0001000eofs-delta\n0010no-progress\n0032want ${A}\n0032have ${B}\n0009done\n0000`);
    expect(text(uploadRequestV0([A], [B]))).toBe(`0056want ${A} side-band-64k ofs-delta no-progress\n00000032have ${B}\n0009done\n`);
  });

  it("refuses malformed answers with a ProtocolError", () => {
    expect(() => parseInfoRefs(new TextEncoder().encode("00zzbad"))).toThrow(ProtocolError);
    expect(() => parseInfoRefs(encodePkts(["# service=git-upload-pack\n", `${A} refs/heads/main\n`]))).toThrow(/not followed by a flush/);
    expect(() => parseInfoRefs(encodePkts([`nothex refs/heads/main\0caps\n`, FLUSH]))).toThrow(/malformed ref line/);
    expect(() => parseLsRefs(encodePkts([`${A}\n`, FLUSH]))).toThrow(/malformed ref line/);
    expect(() => parseLsRefs(new TextEncoder().encode("0010abc"))).toThrow(/truncated/);
  });
});
