// The capabilities the server advertises (durable/service/capabilities.ts): upload-pack's v0 list with
// HEAD's symref when HEAD exists, receive-pack's list, and the v2 list; each names the agent and sha1.
import { describe, expect, it } from "vitest";
import { AGENT, parseCapabilities } from "../../../durable/protocol/capabilities";
import { receivePackCapabilities, uploadPackCapabilities, v2Capabilities } from "../../../durable/service/capabilities";

const keys = (caps: string[]) => caps.map((c) => c.split("=")[0]);

describe("advertised capabilities", () => {
  for (const [name, caps] of [["upload-pack", uploadPackCapabilities("refs/heads/main")], ["receive-pack", receivePackCapabilities()], ["v2", v2Capabilities()]] as const) {
    it(`${name}: names the agent and sha1, each capability once`, () => {
      expect(caps).toContain(`agent=${AGENT}`);
      expect(caps).toContain("object-format=sha1");
      expect(new Set(keys(caps)).size).toBe(caps.length);
      // v0 capabilities are space-separated words, so none may hold a space.
      if (name !== "v2") for (const cap of caps) expect(cap).not.toMatch(/\s/);
    });
  }

  it("upload-pack: names HEAD's branch only when there is one", () => {
    expect(parseCapabilities(uploadPackCapabilities("refs/heads/trunk").join(" ")).get("symref")).toBe("HEAD:refs/heads/trunk");
    expect(keys(uploadPackCapabilities(null))).not.toContain("symref");
    expect(uploadPackCapabilities(null)).toEqual(uploadPackCapabilities("refs/heads/main").filter((c) => !c.startsWith("symref=")));
  });

  it("upload-pack: offers the negotiation, shallow and side-band features upload-pack serves", () => {
    const caps = uploadPackCapabilities(null);
    for (const cap of ["multi_ack_detailed", "no-done", "side-band-64k", "side-band", "ofs-delta", "thin-pack", "no-progress", "include-tag", "shallow", "deepen-since", "deepen-not", "deepen-relative", "filter"]) expect(caps).toContain(cap);
  });

  it("receive-pack: offers the report, deletion, atomic and push-option features receive-pack serves", () => {
    const caps = receivePackCapabilities();
    for (const cap of ["report-status", "report-status-v2", "delete-refs", "side-band-64k", "quiet", "atomic", "ofs-delta", "push-options"]) expect(caps).toContain(cap);
  });

  it("v2: offers ls-refs with unborn, fetch with shallow, wait-for-done and filter, and object-info", () => {
    // One capability per line in v2: a value may list several features, separated by spaces.
    const caps = new Map(v2Capabilities().map((c) => [c.split("=")[0], c.split("=")[1]]));
    expect(caps.get("ls-refs")).toBe("unborn");
    expect(caps.get("fetch")?.split(" ")).toEqual(["shallow", "wait-for-done", "filter"]);
    expect(caps.has("server-option")).toBe(true);
    expect(caps.has("object-info")).toBe(true);
    expect(caps.has("packfile-uris")).toBe(false);
  });
});
