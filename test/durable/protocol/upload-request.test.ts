import { describe, expect, it } from "vitest";
import { parseCommandRequest, parseFetchArgs, parseLsRefsArgs, parseUploadRequestV0 } from "../../../durable/protocol/upload-request";
import { encodePkts, parsePkts, type Pkt } from "../../../durable/protocol/pktline";
import { ProtocolError } from "../../../durable/errors";

const bytes = (s: string) => new TextEncoder().encode(s);
const A = "74730d410fcb6603ace96f1dc55ea6196122532d";
const B = "7d1665144a3a975c05f1f43902ddaf084e784dbe";
const C = "7e47fe2bd8d01d481f44d7af0531bd93d3b21c01";
const flush: Pkt = { kind: "flush" };
const delim: Pkt = { kind: "delim" };
const pkts = (...items: (string | Pkt)[]) => parsePkts(encodePkts(items));

describe("parseUploadRequestV0", () => {
  it("parses the gitprotocol-pack clone example", () => {
    const wire = `0054want ${A} multi_ack side-band-64k ofs-delta\n` + `0032want ${B}\n` + "0000" + "0009done\n";
    const req = parseUploadRequestV0(parsePkts(bytes(wire)));
    expect(req.wants).toEqual([A, B]);
    expect(req.haves).toEqual([]);
    expect([...req.capabilities.keys()]).toEqual(["multi_ack", "side-band-64k", "ofs-delta"]);
    expect(req.done).toBe(true);
    expect(req).toMatchObject({ shallows: [], deepenNot: [], deepenRelative: false, wantRefs: [] });
    expect(req.deepen).toBeUndefined();
  });

  it("parses a stateless negotiation round without done", () => {
    const wire = `0054want ${A} multi_ack side-band-64k ofs-delta\n` + "0000" + `0032have ${C}\n` + `0032have ${B}\n` + "0000";
    const req = parseUploadRequestV0(parsePkts(bytes(wire)));
    expect(req.haves).toEqual([C, B]);
    expect(req.done).toBe(false);
  });

  it("accepts haves across several flushes before done", () => {
    const req = parseUploadRequestV0(pkts(`want ${A}\n`, flush, `have ${B}\n`, flush, `have ${C}\n`, flush, "done\n"));
    expect(req.haves).toEqual([B, C]);
    expect(req.done).toBe(true);
  });

  it("parses shallow, deepen and filter lines", () => {
    const req = parseUploadRequestV0(pkts(`want ${A} shallow deepen-relative filter\n`, `shallow ${B}\n`, "deepen 3\n", "filter blob:none\n", flush, "done\n"));
    expect(req.shallows).toEqual([B]);
    expect(req.deepen).toBe(3);
    expect(req.deepenRelative).toBe(true);
    expect(req.filter).toBe("blob:none");
  });

  it("parses deepen-since and deepen-not, and treats deepen 0 as no depth", () => {
    const req = parseUploadRequestV0(pkts(`want ${A}\n`, "deepen-since 1700000000\n", "deepen-not refs/heads/old\n", "deepen-not refs/tags/v1\n", flush));
    expect(req.deepenSince).toBe(1700000000);
    expect(req.deepenNot).toEqual(["refs/heads/old", "refs/tags/v1"]);
    expect(parseUploadRequestV0(pkts(`want ${A}\n`, "deepen 0\n", flush)).deepen).toBeUndefined();
  });

  it("returns no wants for an empty body or a lone flush", () => {
    expect(parseUploadRequestV0([]).wants).toEqual([]);
    expect(parseUploadRequestV0([flush]).wants).toEqual([]);
  });

  it("rejects bad object ids", () => {
    expect(() => parseUploadRequestV0(pkts(`want ${A.toUpperCase()}\n`))).toThrow(`invalid object id in "want ${A.toUpperCase()}"`);
    expect(() => parseUploadRequestV0(pkts(`want ${A.slice(1)}\n`))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}x\n`))).toThrow("malformed want line");
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, flush, `have ${B.slice(0, 39)}\n`))).toThrow("invalid object id");
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, `shallow nope\n`))).toThrow("invalid object id");
  });

  it("rejects lines in the wrong section or after done", () => {
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, `have ${B}\n`))).toThrow(`unexpected line "have ${B}" in upload-pack request`);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "done\n"))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, flush, `want ${B}\n`))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, flush, "done\n", `have ${B}\n`))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "bogus\n"))).toThrow('unexpected line "bogus"');
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, delim))).toThrow("unexpected delim packet");
  });

  it("rejects bad depth values and deepen combined with deepen-since", () => {
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "deepen -1\n"))).toThrow('invalid number in "deepen -1"');
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "deepen\n"))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "deepen-since soon\n"))).toThrow(ProtocolError);
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "deepen-not\n"))).toThrow('missing value in "deepen-not"');
    expect(() => parseUploadRequestV0(pkts(`want ${A}\n`, "deepen 1\n", "deepen-since 5\n"))).toThrow("deepen cannot be combined");
  });
});

describe("parseCommandRequest", () => {
  it("splits command, capabilities and arguments", () => {
    const wire = "0014command=ls-refs\n" + "0015agent=git/2.43.0\n" + "0017object-format=sha1\n" + "0001" + "0009peel\n" + "000csymrefs\n" + "001bref-prefix refs/heads/\n" + "0000";
    const req = parseCommandRequest(parsePkts(bytes(wire)));
    expect(req.command).toBe("ls-refs");
    expect([...req.capabilities]).toEqual([
      ["agent", "git/2.43.0"],
      ["object-format", "sha1"],
    ]);
    expect(req.args).toEqual(["peel", "symrefs", "ref-prefix refs/heads/"]);
  });

  it("keeps spaces in capability values and allows no delim", () => {
    const req = parseCommandRequest(pkts("command=fetch\n", "server-option=a b\n", flush));
    expect(req.capabilities.get("server-option")).toBe("a b");
    expect(req.args).toEqual([]);
  });

  it("rejects a request without a command", () => {
    expect(() => parseCommandRequest([])).toThrow("v2 request must start with command=<name>, got nothing");
    expect(() => parseCommandRequest([flush])).toThrow("got flush");
    expect(() => parseCommandRequest(pkts("agent=x\n", flush))).toThrow('got "agent=x"');
    expect(() => parseCommandRequest(pkts("command=\n", flush))).toThrow(ProtocolError);
  });

  it("rejects a missing flush, a second delim and data after the flush", () => {
    expect(() => parseCommandRequest(pkts("command=fetch\n", delim, "done\n"))).toThrow("v2 request does not end with a flush");
    expect(() => parseCommandRequest(pkts("command=fetch\n", delim, "done\n", delim, flush))).toThrow("unexpected delim packet in v2 request");
    expect(() => parseCommandRequest(pkts("command=fetch\n", flush, "done\n"))).toThrow("unexpected data packet after the end of the v2 request");
    expect(() => parseCommandRequest(pkts("command=fetch\n", { kind: "response-end" }, flush))).toThrow(ProtocolError);
  });
});

describe("parseFetchArgs", () => {
  it("parses wants, haves, done and flags", () => {
    const req = parseFetchArgs([`want ${A}`, `want ${B}`, `have ${C}`, "thin-pack", "no-progress", "include-tag", "ofs-delta", "sideband-all", "wait-for-done", "done"]);
    expect(req.wants).toEqual([A, B]);
    expect(req.haves).toEqual([C]);
    expect(req.done).toBe(true);
    expect([...req.capabilities]).toEqual(["thin-pack", "no-progress", "include-tag", "ofs-delta", "sideband-all", "wait-for-done"].map((k) => [k, true]));
  });

  it("parses shallow arguments, filter and want-ref", () => {
    const req = parseFetchArgs([`want ${A}`, `shallow ${B}`, "deepen 1", "deepen-relative", "filter tree:0", "want-ref refs/heads/main"]);
    expect(req).toMatchObject({ shallows: [B], deepen: 1, deepenRelative: true, filter: "tree:0", wantRefs: ["refs/heads/main"], done: false });
    expect(req.capabilities.get("deepen-relative")).toBe(true);
    const since = parseFetchArgs(["deepen-since 1700000000", "deepen-not refs/tags/v1"]);
    expect(since).toMatchObject({ deepenSince: 1700000000, deepenNot: ["refs/tags/v1"] });
  });

  it("rejects unknown arguments and flags given a value", () => {
    expect(() => parseFetchArgs(["packfile-uris https"])).toThrow('unknown fetch argument "packfile-uris https"');
    expect(() => parseFetchArgs(["bogus"])).toThrow(ProtocolError);
    expect(() => parseFetchArgs(["done now"])).toThrow('unknown fetch argument "done now"');
  });

  it("rejects bad ids, duplicate want-ref and deepen with deepen-not", () => {
    expect(() => parseFetchArgs(["want HEAD"])).toThrow('invalid object id in "want HEAD"');
    expect(() => parseFetchArgs(["have"])).toThrow(ProtocolError);
    expect(() => parseFetchArgs(["want-ref refs/heads/a", "want-ref refs/heads/a"])).toThrow('duplicate want-ref "refs/heads/a"');
    expect(() => parseFetchArgs(["want-ref "])).toThrow("missing value");
    expect(() => parseFetchArgs(["deepen 2", "deepen-not refs/heads/x"])).toThrow("deepen cannot be combined with deepen-since or deepen-not");
  });
});

describe("parseLsRefsArgs", () => {
  it("parses flags and prefixes", () => {
    expect(parseLsRefsArgs(["symrefs", "peel", "unborn", "ref-prefix HEAD", "ref-prefix refs/heads/"])).toEqual({
      symrefs: true,
      peel: true,
      unborn: true,
      prefixes: ["HEAD", "refs/heads/"],
    });
    expect(parseLsRefsArgs([])).toEqual({ symrefs: false, peel: false, unborn: false, prefixes: [] });
  });

  it("rejects unknown arguments", () => {
    expect(() => parseLsRefsArgs(["symrefs", "bogus"])).toThrow('unknown ls-refs argument "bogus"');
    expect(() => parseLsRefsArgs(["peel yes"])).toThrow(ProtocolError);
  });
});
