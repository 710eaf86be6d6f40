import { describe, expect, it } from "vitest";
import { AGENT, formatCapabilities, parseCapabilities } from "../../../durable/protocol/capabilities";

describe("parseCapabilities", () => {
  it("parses flags and key=value words", () => {
    const caps = parseCapabilities("report-status side-band-64k agent=git/2.43.0 symref=HEAD:refs/heads/main");
    expect([...caps]).toEqual([
      ["report-status", true],
      ["side-band-64k", true],
      ["agent", "git/2.43.0"],
      ["symref", "HEAD:refs/heads/main"],
    ]);
  });

  it("splits at the first '=' and tolerates extra spaces", () => {
    expect([...parseCapabilities("  a=b=c  quiet ")]).toEqual([
      ["a", "b=c"],
      ["quiet", true],
    ]);
    expect(parseCapabilities("").size).toBe(0);
    expect(parseCapabilities("object-format=").get("object-format")).toBe("");
  });
});

describe("formatCapabilities", () => {
  it("joins with single spaces", () => {
    expect(formatCapabilities(["ofs-delta", `agent=${AGENT}`])).toBe("ofs-delta agent=git-on-workers/0.1");
    expect(formatCapabilities([])).toBe("");
  });
});
