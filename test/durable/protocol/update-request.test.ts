import { describe, expect, it } from "vitest";
import { parsePushOptions, parseUpdateRequest } from "../../../durable/protocol/update-request";
import { concatBytes, parsePkts } from "../../../durable/protocol/pktline";
import { ProtocolError } from "../../../durable/errors";

const bytes = (s: string) => new TextEncoder().encode(s);
const A = "74730d410fcb6603ace96f1dc55ea6196122532d";
const B = "5a3f6be755bbb7deae50065988cbfa1ffa9ab68a";
const Z = "0000000000000000000000000000000000000000";

/** The data payloads of a pkt-line buffer, as receive-pack collects them before the first flush. */
function payloads(wire: string): Uint8Array[] {
  return parsePkts(bytes(wire)).flatMap((p) => (p.kind === "data" ? [p.data] : []));
}

describe("parseUpdateRequest", () => {
  it("parses commands with capabilities on the first (gitprotocol-pack example)", () => {
    const wire =
      `0094${B} ${A} refs/heads/debug\0report-status side-band-64k agent=git/2.43.0\n` +
      `0068${A} ${B} refs/heads/master\n` +
      `0000`;
    const req = parseUpdateRequest(payloads(wire));
    expect(req.commands).toEqual([
      { oldOid: B, newOid: A, ref: "refs/heads/debug" },
      { oldOid: A, newOid: B, ref: "refs/heads/master" },
    ]);
    expect([...req.capabilities]).toEqual([
      ["report-status", true],
      ["side-band-64k", true],
      ["agent", "git/2.43.0"],
    ]);
    expect(req.shallow).toEqual([]);
  });

  it("accepts create and delete, an empty capability list and lines without LF", () => {
    const req = parseUpdateRequest([bytes(`${Z} ${A} refs/heads/new\0`), bytes(`${B} ${Z} refs/heads/old`)]);
    expect(req.commands).toEqual([
      { oldOid: Z, newOid: A, ref: "refs/heads/new" },
      { oldOid: B, newOid: Z, ref: "refs/heads/old" },
    ]);
    expect(req.capabilities.size).toBe(0);
  });

  it("collects leading shallow lines", () => {
    const req = parseUpdateRequest([bytes(`shallow ${A}\n`), bytes(`shallow ${B}\n`), bytes(`${A} ${B} refs/heads/main\0quiet\n`)]);
    expect(req.shallow).toEqual([A, B]);
    expect(req.commands).toHaveLength(1);
    expect(req.capabilities.get("quiet")).toBe(true);
  });

  it("does not check ref names", () => {
    expect(parseUpdateRequest([bytes(`${Z} ${A} HEAD\0\n`)]).commands[0].ref).toBe("HEAD");
  });

  it("returns no commands for no lines", () => {
    expect(parseUpdateRequest([]).commands).toEqual([]);
  });

  it("rejects a first command without the NUL and capability list", () => {
    expect(() => parseUpdateRequest([bytes(`${A} ${B} refs/heads/main\n`)])).toThrow(`first command has no capability list after NUL: "${A} ${B} refs/heads/main"`);
  });

  it("rejects a NUL on a later command", () => {
    expect(() => parseUpdateRequest([bytes(`${A} ${B} refs/heads/a\0\n`), bytes(`${A} ${B} refs/heads/b\0x\n`)])).toThrow("unexpected NUL in command");
  });

  it("rejects duplicate refs", () => {
    const lines = [bytes(`${A} ${B} refs/heads/x\0\n`), bytes(`${B} ${A} refs/heads/x\n`)];
    expect(() => parseUpdateRequest(lines)).toThrow("duplicate ref update for refs/heads/x");
  });

  it("rejects zero old and zero new together", () => {
    expect(() => parseUpdateRequest([bytes(`${Z} ${Z} refs/heads/x\0\n`)])).toThrow("both old and new ids are zero for refs/heads/x");
  });

  it("rejects bad object ids and malformed commands", () => {
    const bad = [
      `${A.toUpperCase()} ${B} refs/heads/x`,
      `${A.slice(1)} ${B} refs/heads/x`,
      `${A} ${B.slice(0, 39)}g refs/heads/x`,
      `${A}  ${B} refs/heads/x`,
      `${A} ${B}`,
      `${A} ${B} `,
      `${A} ${B}\trefs/heads/x`,
      "push-cert",
      "",
    ];
    for (const line of bad) {
      expect(() => parseUpdateRequest([bytes(`${line}\0report-status\n`)]), line).toThrow(ProtocolError);
      expect(() => parseUpdateRequest([bytes(`${line}\0report-status\n`)]), line).toThrow("malformed ref update command");
    }
  });

  it("truncates the offending text in the message", () => {
    const long = "x".repeat(300);
    try {
      parseUpdateRequest([bytes(`${long}\0\n`)]);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(`malformed ref update command "${"x".repeat(100)}..."`);
    }
  });

  it("rejects bad shallow lines and shallow lines without commands", () => {
    expect(() => parseUpdateRequest([bytes(`shallow ${A.slice(2)}\n`)])).toThrow("malformed shallow line");
    expect(() => parseUpdateRequest([bytes(`shallow ${A}\n`)])).toThrow("update request has shallow lines but no commands");
    expect(() => parseUpdateRequest([bytes(`${A} ${B} refs/heads/x\0\n`), bytes(`shallow ${A}\n`)])).toThrow("malformed ref update command");
  });
});

describe("parsePushOptions", () => {
  it("returns each line's text", () => {
    expect(parsePushOptions(payloads("000eci.skip=1\n0009topic0000"))).toEqual(["ci.skip=1", "topic"]);
    expect(parsePushOptions([])).toEqual([]);
  });
});

describe("ref names that are not UTF-8", () => {
  it("are noted, not silently rewritten", () => {
    const Z = "0".repeat(40);
    const line = concatBytes([new TextEncoder().encode(`${Z} ${"1".repeat(40)} refs/heads/caf`), new Uint8Array([0xe9]), new TextEncoder().encode("\0report-status\n")]);
    const req = parseUpdateRequest([line]);
    expect(req.notUtf8).toBe("refs/heads/caf\ufffd");
    expect(parseUpdateRequest([new TextEncoder().encode(`${Z} ${"1".repeat(40)} refs/heads/café\0report-status\n`)]).notUtf8).toBeNull();
  });
});
