import { describe, expect, it } from "vitest";
import { decodeReportStatus, encodeReportStatus, encodeReportStatusV2 } from "../../../durable/protocol/report-status";
import { ProtocolError } from "../../../durable/errors";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("encodeReportStatus", () => {
  it("writes the gitprotocol-pack example", () => {
    const out = encodeReportStatus("ok", [
      { ref: "refs/heads/debug", ok: true },
      { ref: "refs/heads/master", ok: false, reason: "non-fast-forward" },
    ]);
    expect(text(out)).toBe("000eunpack ok\n0018ok refs/heads/debug\n002ang refs/heads/master non-fast-forward\n0000");
  });

  it("writes an unpack error", () => {
    const out = encodeReportStatus("index-pack failed", [{ ref: "refs/heads/x", ok: false, reason: "unpacker error" }]);
    expect(text(out)).toBe("001dunpack index-pack failed\n0023ng refs/heads/x unpacker error\n0000");
  });

  it("keeps each message on one line", () => {
    expect(text(encodeReportStatus("bad\npack", []))).toBe("0014unpack bad pack\n0000");
  });

  it("writes the same bytes for report-status-v2", () => {
    const results = [{ ref: "refs/heads/a", ok: true as const }];
    expect(encodeReportStatusV2("ok", results)).toEqual(encodeReportStatus("ok", results));
  });
});

describe("decodeReportStatus", () => {
  it("round-trips", () => {
    const results = [
      { ref: "refs/heads/a", ok: true as const },
      { ref: "refs/heads/b", ok: false as const, reason: "stale info: the ref moved" },
    ];
    expect(decodeReportStatus(encodeReportStatus("ok", results))).toEqual({ unpack: "ok", results });
  });

  it("skips v2 option lines", () => {
    const wire = "000eunpack ok\n0015ok refs/for/main\n0023option refname refs/heads/main\n0000";
    expect(decodeReportStatus(bytes(wire)).results).toEqual([{ ref: "refs/for/main", ok: true }]);
  });

  it("rejects malformed reports", () => {
    expect(() => decodeReportStatus(bytes("000eunpack ok\n"))).toThrow("report-status does not end with a flush");
    expect(() => decodeReportStatus(bytes("0000"))).toThrow("report-status must start with unpack status");
    expect(() => decodeReportStatus(bytes("000bok refs0000"))).toThrow(ProtocolError);
    expect(() => decodeReportStatus(bytes("000eunpack ok\n000eng refs/x\n0000"))).toThrow('malformed report-status line "ng refs/x"');
    expect(() => decodeReportStatus(bytes("000eunpack ok\n000001"))).toThrow(ProtocolError);
  });
});
