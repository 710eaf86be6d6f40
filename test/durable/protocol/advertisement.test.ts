import { describe, expect, it } from "vitest";
import { encodeRefAdvertisement, encodeV2Capabilities, serviceHeader } from "../../../durable/protocol/advertisement";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const A = "74730d410fcb6603ace96f1dc55ea6196122532d";

describe("serviceHeader", () => {
  it("writes the smart-HTTP service line and a flush", () => {
    expect(text(serviceHeader("git-upload-pack"))).toBe("001e# service=git-upload-pack\n0000");
    expect(text(serviceHeader("git-receive-pack"))).toBe("001f# service=git-receive-pack\n0000");
  });
});

describe("encodeRefAdvertisement", () => {
  it("writes the gitprotocol-pack upload-pack example: HEAD first with capabilities, peeled tags after their tag", () => {
    const caps = ["multi_ack", "thin-pack", "side-band", "side-band-64k", "ofs-delta", "shallow", "no-progress", "include-tag"];
    const refs = [
      { name: "refs/heads/integration", oid: "1d3fcd5ced445d1abc402225c0b8a1299641f497" },
      { name: "refs/heads/master", oid: "7217a7c7e582c46cec22a130adf4b9d7d950fba0" },
      { name: "refs/tags/v0.9", oid: "b88d2441cac0977faf98efc80305012112238d9d" },
      { name: "refs/tags/v1.0", oid: "525128480b96c89e6418b1e40909bf6c5b2d580f", peeled: "e92df48743b7bc7d26bcaabfddde0a1e20cae47c" },
    ];
    expect(text(encodeRefAdvertisement(refs, caps, "7217a7c7e582c46cec22a130adf4b9d7d950fba0"))).toBe(
      "00887217a7c7e582c46cec22a130adf4b9d7d950fba0 HEAD\0multi_ack thin-pack side-band side-band-64k ofs-delta shallow no-progress include-tag\n" +
        "00441d3fcd5ced445d1abc402225c0b8a1299641f497 refs/heads/integration\n" +
        "003f7217a7c7e582c46cec22a130adf4b9d7d950fba0 refs/heads/master\n" +
        "003cb88d2441cac0977faf98efc80305012112238d9d refs/tags/v0.9\n" +
        "003c525128480b96c89e6418b1e40909bf6c5b2d580f refs/tags/v1.0\n" +
        "003fe92df48743b7bc7d26bcaabfddde0a1e20cae47c refs/tags/v1.0^{}\n" +
        "0000",
    );
  });

  it("puts capabilities on the first ref when there is no HEAD (receive-pack example)", () => {
    const refs = [
      { name: "refs/heads/local", oid: A },
      { name: "refs/heads/master", oid: A },
    ];
    expect(text(encodeRefAdvertisement(refs, ["report-status", "delete-refs", "ofs-delta"]))).toBe(
      `0062${A} refs/heads/local\0report-status delete-refs ofs-delta\n` + `003f${A} refs/heads/master\n` + "0000",
    );
  });

  it("puts capabilities on a peeled first ref's tag line only", () => {
    const out = text(encodeRefAdvertisement([{ name: "refs/tags/v1", oid: A, peeled: A }], ["ofs-delta"]));
    expect(out).toBe(`0044${A} refs/tags/v1\0ofs-delta\n` + `003d${A} refs/tags/v1^{}\n` + "0000");
  });

  it("writes capabilities^{} for an empty repository", () => {
    expect(text(encodeRefAdvertisement([], ["report-status"]))).toBe("004b0000000000000000000000000000000000000000 capabilities^{}\0report-status\n0000");
  });
});

describe("encodeV2Capabilities", () => {
  it("writes the version line, one capability per line and a flush", () => {
    expect(text(encodeV2Capabilities(["agent=git-on-workers/0.1", "ls-refs=unborn", "fetch=shallow wait-for-done"]))).toBe(
      "000eversion 2\n" + "001dagent=git-on-workers/0.1\n" + "0013ls-refs=unborn\n" + "0020fetch=shallow wait-for-done\n" + "0000",
    );
  });
});
