import { describe, expect, it } from "vitest";
import { demuxSideband, errorPkt, progressPkt, sidebandFrame } from "../../../durable/protocol/sideband";
import { parsePkts, type Pkt } from "../../../durable/protocol/pktline";
import { ProtocolError } from "../../../durable/errors";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("sidebandFrame", () => {
  const lengths = (frame: Uint8Array) => parsePkts(frame).map((p) => (p.kind === "data" ? p.data.length + 4 : -1));

  it("prefixes each packet with its band byte", () => {
    expect(text(sidebandFrame(1, bytes("PACK")))).toBe("0009\x01PACK");
  });

  it("splits data into packets of at most maxData bytes", () => {
    expect(text(sidebandFrame(1, bytes("abcdefg"), 3))).toBe("0008\x01abc0008\x01def0006\x01g");
    expect(sidebandFrame(1, new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it("fills side-band-64k packets to 65520 bytes and side-band packets to 999 data bytes", () => {
    const big = sidebandFrame(1, new Uint8Array(65515 * 2 + 1));
    expect(lengths(big)).toEqual([65520, 65520, 6]);
    expect(text(big.subarray(0, 5))).toBe("fff0\x01");
    expect(lengths(sidebandFrame(1, new Uint8Array(1000), 999))).toEqual([1004, 6]);
  });

  it("rejects a packet size that does not fit a pkt-line", () => {
    expect(() => sidebandFrame(1, bytes("x"), 65516)).toThrow(ProtocolError);
    expect(() => sidebandFrame(1, bytes("x"), 0)).toThrow("invalid side-band packet size 0");
  });
});

describe("progress and error packets", () => {
  it("uses band 2 for progress and band 3 for errors", () => {
    expect(text(progressPkt("Counting objects\r"))).toBe("0016\x02Counting objects\r");
    expect(text(errorPkt("boom\n"))).toBe("000a\x03boom\n");
  });
});

describe("demuxSideband", () => {
  it("joins each band and skips flushes", () => {
    const pkts = parsePkts(bytes("0007\x01PA0010\x02progress 1\n0007\x01CK0009\x03oops0000"));
    const out = demuxSideband(pkts);
    expect(text(out[1])).toBe("PACK");
    expect(out[2]).toBe("progress 1\n");
    expect(out[3]).toBe("oops");
  });

  it("round-trips sidebandFrame", () => {
    const data = new Uint8Array(5000).map((_, i) => i % 251);
    const out = demuxSideband(parsePkts(sidebandFrame(1, data, 999)));
    expect(out[1]).toEqual(data);
  });

  it("rejects an unknown band and an empty packet", () => {
    expect(() => demuxSideband([{ kind: "data", data: new Uint8Array([4, 1]) }])).toThrow("invalid side-band 4");
    const empty: Pkt = { kind: "data", data: new Uint8Array(0) };
    expect(() => demuxSideband([empty])).toThrow("invalid side-band (empty packet)");
  });
});
