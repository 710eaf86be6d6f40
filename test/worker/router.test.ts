// The Worker's routes, through its real fetch handler: names, services, missing repositories,
// bad push requests (each answered precisely, with storage left as it was) and gzipped bodies.
import { listDurableObjectIds } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { concatBytes, encodePkt, FLUSH } from "../../durable/protocol/pktline";
import { HEAD } from "../fixtures/packs";
import { testEnv } from "../../bench/harness/in-repo";
import { fullPack as pack, receivePackRequest, stored, ZERO } from "../support/workerd/push";

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
const text = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());

function push(repo: string, commands: string[], body: Uint8Array = pack(), caps = "report-status"): Promise<Response> {
  return worker.fetch(receivePackRequest(repo, commands, body, caps));
}

describe("routes", () => {
  it("describes the service at /", async () => {
    const res = await worker.fetch(new Request("http://x/"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("git push");
  });

  for (const path of ["/.hidden/r.git/info/refs?service=git-upload-pack", "/o/..git/info/refs?service=git-upload-pack", `/o/${"a".repeat(101)}/info/refs?service=git-upload-pack`, "/o%20x/r/info/refs?service=git-upload-pack"]) {
    it(`refuses the bad name in ${path.slice(0, 40)} with 400 and a text git shows`, async () => {
      const res = await worker.fetch(new Request(`http://x${path}`));
      expect(res.status).toBe(400);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(/^invalid repository name: owner and repository are 1-100 characters/);
    });
  }

  it("refuses an unknown service with 403", async () => {
    const res = await worker.fetch(new Request("http://x/o/r.git/info/refs?service=git-frobnicate"));
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/^unsupported service 'git-frobnicate'/);
  });

  it("answers 404 'repository not found' to a fetch of a missing repository, with or without .git", async () => {
    for (const path of ["/o/missing.git/info/refs?service=git-upload-pack", "/o/missing/info/refs?service=git-upload-pack"]) {
      const res = await worker.fetch(new Request(`http://x${path}`));
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("repository not found");
    }
  });

  it("advertises an empty repository to a first push, with the receive-pack capabilities", async () => {
    const res = await worker.fetch(new Request("http://x/o/new.git/info/refs?service=git-receive-pack"));
    expect(res.headers.get("Content-Type")).toBe("application/x-git-receive-pack-advertisement");
    const body = await text(res);
    expect(body).toContain("# service=git-receive-pack");
    expect(body).toContain(`${ZERO} capabilities^{}\0`);
    for (const cap of ["report-status", "report-status-v2", "delete-refs", "side-band-64k", "quiet", "atomic", "ofs-delta", "push-options", "object-format=sha1"]) expect(body).toContain(cap);
  });
});

describe("push requests", () => {
  it("accepts a push, then serves the refs to v0 and v2 clients", async () => {
    const res = await push("o/ok", [`${ZERO} ${HEAD} refs/heads/main`]);
    expect(await text(res)).toBe("000eunpack ok\n0017ok refs/heads/main\n0000");
    const v0 = await text(await worker.fetch(new Request("http://x/o/ok.git/info/refs?service=git-upload-pack")));
    expect(v0).toContain(`${HEAD} HEAD\0`);
    expect(v0).toContain("symref=HEAD:refs/heads/main");
    const v2 = await text(await worker.fetch(new Request("http://x/o/ok.git/info/refs?service=git-upload-pack", { headers: { "Git-Protocol": "version=2" } })));
    expect(v2.startsWith("000eversion 2\n")).toBe(true);
    expect(v2).toContain("ls-refs");
  });

  it("reports a bad ref name as ng and stores nothing", async () => {
    const res = await push("o/badref", [`${ZERO} ${HEAD} refs/heads/a..b`]);
    expect(await text(res)).toMatch(/ng refs\/heads\/a\.\.b .+/);
    expect(await stored("o/badref")).toEqual({ refs: {}, packs: 0, objects: 0, chunks: 0, events: 0, settings: 0 });
  });

  it("reports a corrupt pack as an unpack error and stores nothing", async () => {
    const corrupt = pack();
    corrupt[corrupt.length - 1] ^= 1;
    const body = await text(await push("o/corrupt", [`${ZERO} ${HEAD} refs/heads/main`], corrupt));
    expect(body).toContain("unpack pack checksum mismatch");
    expect(body).toContain("ng refs/heads/main unpacker error");
    expect(await stored("o/corrupt")).toEqual({ refs: {}, packs: 0, objects: 0, chunks: 0, events: 0, settings: 0 });
  });

  it("refuses a malformed pkt-line with 400 and JSON", async () => {
    const res = await worker.fetch(new Request("http://x/o/garbage.git/git-receive-pack", { method: "POST", body: "zzzz not a pkt-line" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "malformed push request" });
  });

  it("refuses a push declared over MAX_PUSH_BYTES with a report git prints, before reading its pack", async () => {
    const res = await push("o/huge", [`${ZERO} ${HEAD} refs/heads/main`], new Uint8Array(5 * 1024 * 1024), "report-status side-band-64k");
    expect(res.status).toBe(200);
    const body = await text(res);
    expect(body).toContain("push is 5 MiB, over this server's limit of 4 MiB; push in smaller pieces");
    expect(body).toContain("ng refs/heads/main unpacker error");
    expect(await stored("o/huge")).toEqual({ refs: {}, packs: 0, objects: 0, chunks: 0, events: 0, settings: 0 });
  });

  it("reports a stale old oid as ng and changes nothing", async () => {
    await push("o/stale", [`${ZERO} ${HEAD} refs/heads/main`]);
    const res = await push("o/stale", [`${"1".repeat(40)} ${HEAD} refs/heads/main`], pack());
    expect(await text(res)).toMatch(/ng refs\/heads\/main stale info/);
    expect((await stored("o/stale")).refs).toEqual({ "refs/heads/main": HEAD });
  });

  it("inflates a gzipped upload-pack request", async () => {
    await push("o/gz", [`${ZERO} ${HEAD} refs/heads/main`]);
    const request = concatBytes([encodePkt("command=ls-refs\n"), encodePkt("object-format=sha1\n"), FLUSH]);
    const gz = await new Response(new Response(request).body!.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const res = await worker.fetch(
      new Request("http://x/o/gz.git/git-upload-pack", { method: "POST", body: gz, headers: { "Content-Encoding": "gzip", "Git-Protocol": "version=2" } }),
    );
    expect(await text(res)).toContain(`${HEAD} refs/heads/main`);
  });
});

describe("unknown repositories", () => {
  it("answers a read of an unknown name without reaching a repository object, so nothing is created", async () => {
    const before = (await listDurableObjectIds(testEnv.REPO)).length;
    for (const path of ["/o/ghost.git/info/refs?service=git-upload-pack", "/api/repos/o/ghost/ref-log", "/api/repos/o/ghost"]) {
      const res = await worker.fetch(new Request(`http://x${path}`));
      expect(res.status, path).toBe(404);
    }
    const upload = await worker.fetch(new Request("http://x/o/ghost.git/git-upload-pack", { method: "POST", body: "0000" }));
    expect(upload.status).toBe(404);
    expect((await listDurableObjectIds(testEnv.REPO)).length).toBe(before);
  });

  it("refuses a name that still ends in .git once one .git is dropped", async () => {
    const res = await worker.fetch(new Request("http://x/o/x.git.git/info/refs?service=git-upload-pack"));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/may not end in \.git/);
  });
});
