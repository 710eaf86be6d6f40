import { describe, expect, it } from "vitest";
import { concatBytes, DELIM, encodePkt, encodePkts, FLUSH, MAX_PKT_DATA, parsePkts, pktText, readPkt, RESPONSE_END } from "../../../durable/protocol/pktline";
import { ProtocolError } from "../../../durable/errors";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("encodePkt", () => {
  it("prefixes the total length as 4 lowercase hex digits (gitprotocol-common examples)", () => {
    expect(text(encodePkt("a\n"))).toBe("0006a\n");
    expect(text(encodePkt("a"))).toBe("0005a");
    expect(text(encodePkt("foobar\n"))).toBe("000bfoobar\n");
    expect(text(encodePkt(""))).toBe("0004");
    expect(text(encodePkt("x".repeat(0xfb)))).toBe("00ff" + "x".repeat(0xfb));
  });

  it("is 8-bit clean", () => {
    expect([...encodePkt(new Uint8Array([0, 0xff, 1]))]).toEqual([0x30, 0x30, 0x30, 0x37, 0, 0xff, 1]);
  });

  it("accepts the maximum payload and rejects one byte more", () => {
    expect(text(encodePkt(new Uint8Array(MAX_PKT_DATA)).subarray(0, 4))).toBe("fff0");
    expect(() => encodePkt(new Uint8Array(MAX_PKT_DATA + 1))).toThrow(ProtocolError);
    expect(() => encodePkt(new Uint8Array(MAX_PKT_DATA + 1))).toThrow("pkt-line payload of 65517 bytes exceeds 65516");
  });
});

describe("special packets and encodePkts", () => {
  it("has the flush, delim and response-end markers", () => {
    expect(text(FLUSH)).toBe("0000");
    expect(text(DELIM)).toBe("0001");
    expect(text(RESPONSE_END)).toBe("0002");
  });

  it("encodes a mix of data and markers", () => {
    const out = encodePkts(["a\n", bytes("b"), { kind: "delim" }, { kind: "data", data: bytes("c") }, { kind: "response-end" }, { kind: "flush" }]);
    expect(text(out)).toBe("0006a\n0005b00010005c00020000");
  });

  it("concatenates bytes", () => {
    expect(text(concatBytes([bytes("ab"), new Uint8Array(0), bytes("c")]))).toBe("abc");
    expect(concatBytes([]).length).toBe(0);
  });
});

describe("readPkt", () => {
  it("reads data and special packets and returns the next offset", () => {
    const buf = bytes("xx0006a\n000000010002");
    const first = readPkt(buf, 2)!;
    expect(first.pkt.kind).toBe("data");
    expect(first.pkt.kind === "data" && text(first.pkt.data)).toBe("a\n");
    expect(first.next).toBe(8);
    expect(readPkt(buf, 8)).toEqual({ pkt: { kind: "flush" }, next: 12 });
    expect(readPkt(buf, 12)).toEqual({ pkt: { kind: "delim" }, next: 16 });
    expect(readPkt(buf, 16)).toEqual({ pkt: { kind: "response-end" }, next: 20 });
  });

  it("reads an empty data packet and an uppercase length", () => {
    expect(readPkt(bytes("0004"), 0)).toEqual({ pkt: { kind: "data", data: new Uint8Array(0) }, next: 4 });
    expect(readPkt(bytes("000Aabcdef"), 0)?.next).toBe(10);
  });

  it("returns null until the whole packet is there", () => {
    expect(readPkt(bytes(""), 0)).toBeNull();
    expect(readPkt(bytes("000"), 0)).toBeNull();
    expect(readPkt(bytes("0009ab"), 0)).toBeNull();
    expect(readPkt(bytes("0009abcd"), 0)).toBeNull();
    expect(readPkt(bytes("0009abcde"), 0)?.next).toBe(9);
  });

  it("rejects a length that is not hex", () => {
    expect(() => readPkt(bytes("zz12"), 0)).toThrow("malformed pkt-line length 'zz12'");
    expect(() => readPkt(bytes("00 5a"), 0)).toThrow("malformed pkt-line length '00 5'");
    expect(() => readPkt(new Uint8Array([0x30, 0x30, 0x0a, 0x30]), 0)).toThrow("malformed pkt-line length '00\\x0a0'");
    expect(() => readPkt(bytes("-001"), 0)).toThrow(ProtocolError);
  });

  it("rejects length 0003 and lengths over 65520", () => {
    expect(() => readPkt(bytes("0003"), 0)).toThrow("invalid pkt-line length '0003'");
    expect(() => readPkt(bytes("fff1"), 0)).toThrow("pkt-line length 65521 exceeds 65520");
    expect(() => readPkt(bytes("ffff"), 0)).toThrow(ProtocolError);
  });
});

describe("pktText", () => {
  it("strips exactly one trailing LF", () => {
    expect(pktText(bytes("a\n"))).toBe("a");
    expect(pktText(bytes("a"))).toBe("a");
    expect(pktText(bytes("a\n\n"))).toBe("a\n");
    expect(pktText(bytes("\u00e9t\u00e9\n"))).toBe("\u00e9t\u00e9");
  });
});

describe("parsePkts", () => {
  it("parses a whole buffer", () => {
    const pkts = parsePkts(bytes("0006a\n000100090002\n0000"));
    expect(pkts.map((p) => (p.kind === "data" ? text(p.data) : p.kind))).toEqual(["a\n", "delim", "0002\n", "flush"]);
  });

  it("returns nothing for an empty buffer", () => {
    expect(parsePkts(new Uint8Array(0))).toEqual([]);
  });

  it("rejects a trailing partial packet", () => {
    expect(() => parsePkts(bytes("0006a\n0009ab"))).toThrow("truncated pkt-line at offset 6 (6 bytes left)");
    expect(() => parsePkts(bytes("0000000"))).toThrow(ProtocolError);
  });

  it("rejects a bad length anywhere", () => {
    expect(() => parsePkts(bytes("0006a\nzz12"))).toThrow("malformed pkt-line length 'zz12'");
  });
});
