// GET info/refs (durable/service/advertise.ts), called with a repository: the v0 ref advertisement of
// either service (HEAD first, refs by name, annotated tags peeled, capabilities on the first line),
// the empty repository's capabilities^{} line, and upload-pack's v2 capability advertisement.
import { describe, expect, it } from "vitest";
import { advertise, advertisedRefs } from "../../../durable/service/advertise";
import { receivePackCapabilities, uploadPackCapabilities, v2Capabilities } from "../../../durable/service/capabilities";
import { parsePkts, pktText } from "../../../durable/protocol/pktline";
import type { Repository } from "../../../durable/repository";
import { HEAD, TAG } from "../../fixtures/packs";
import { seed, storeFixturePack, Z } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

/** Each pkt of a response as its text without the trailing LF; a flush as "0000". */
async function pktLines(res: Response): Promise<string[]> {
  return parsePkts(new Uint8Array(await res.arrayBuffer())).map((p) => (p.kind === "data" ? pktText(p.data) : "0000"));
}

/** The fixture's commits with main at HEAD, dev two commits back and the annotated tag v1 on HEAD. */
async function withRefs(repo: Repository): Promise<string[]> {
  const { commits } = await storeFixturePack(repo);
  seed(repo, { ref: "refs/heads/main", to: HEAD }, { ref: "refs/tags/v1", to: TAG }, { ref: "refs/heads/dev", to: commits[2]! });
  return commits;
}

describe("advertise", () => {
  it("advertises upload-pack v0: HEAD with the capabilities and its symref, then refs by name, tags peeled", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const res = await advertise(repo, "git-upload-pack", 0);
      expect(res.headers.get("Content-Type")).toBe("application/x-git-upload-pack-advertisement");
      expect(res.headers.get("Cache-Control")).toBe("no-cache");
      expect(await pktLines(res)).toEqual([
        "# service=git-upload-pack",
        "0000",
        `${HEAD} HEAD\0${uploadPackCapabilities("refs/heads/main").join(" ")}`,
        `${commits[2]} refs/heads/dev`,
        `${HEAD} refs/heads/main`,
        `${TAG} refs/tags/v1`,
        `${HEAD} refs/tags/v1^{}`,
        "0000",
      ]);
    });
  });

  it("advertises receive-pack v0 with the receive-pack capabilities, whatever version is asked", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      for (const version of [0, 2]) {
        const res = await advertise(repo, "git-receive-pack", version);
        expect(res.headers.get("Content-Type")).toBe("application/x-git-receive-pack-advertisement");
        const lines = await pktLines(res);
        expect(lines.slice(0, 2)).toEqual(["# service=git-receive-pack", "0000"]);
        expect(lines[2]).toBe(`${HEAD} HEAD\0${receivePackCapabilities().join(" ")}`);
        expect(lines).toContain(`${HEAD} refs/heads/main`);
      }
    });
  });

  it("advertises an empty repository as capabilities^{} on the zero id, without a symref", async () => {
    await inRepo(async (repo) => {
      expect(await pktLines(await advertise(repo, "git-upload-pack", 0))).toEqual([
        "# service=git-upload-pack",
        "0000",
        `${Z} capabilities^{}\0${uploadPackCapabilities(null).join(" ")}`,
        "0000",
      ]);
      expect((await pktLines(await advertise(repo, "git-receive-pack", 0)))[2]).toBe(`${Z} capabilities^{}\0${receivePackCapabilities().join(" ")}`);
    });
  });

  it("leaves HEAD out while the branch it names does not exist", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/dev", to: HEAD });
      const lines = await pktLines(await advertise(repo, "git-upload-pack", 0));
      expect(lines[2]).toBe(`${HEAD} refs/heads/dev\0${uploadPackCapabilities(null).join(" ")}`);
    });
  });

  it("answers upload-pack v2 with the capability advertisement and no refs", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const res = await advertise(repo, "git-upload-pack", 2);
      expect(res.headers.get("Content-Type")).toBe("application/x-git-upload-pack-advertisement");
      expect(await pktLines(res)).toEqual(["version 2", ...v2Capabilities(), "0000"]);
    });
  });
});

describe("advertisedRefs", () => {
  it("lists every ref by name with what annotated tags peel to", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      expect(await advertisedRefs(repo)).toEqual([
        { name: "refs/heads/dev", oid: commits[2], peeled: undefined },
        { name: "refs/heads/main", oid: HEAD, peeled: undefined },
        { name: "refs/tags/v1", oid: TAG, peeled: HEAD },
      ]);
    });
  });
});
