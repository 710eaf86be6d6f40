// Operation records (durable/observe/operation.ts) and the logger's lines (log.ts), read by replacing
// the logger's sink: one line per operation with its fields, through the Worker for a push, a clone
// and an API write, carrying the request id the client got back, and never a token or file content.
import { afterEach, describe, expect, it } from "vitest";
import { Counters } from "../../../durable/observe/counters";
import { setLogLevel, setLogSink, type LogLevel } from "../../../durable/observe/log";
import { Operation } from "../../../durable/observe/operation";
import { concatBytes, encodePkt, FLUSH } from "../../../durable/protocol/pktline";
import { commit, object, pushBody, tree } from "../../support/hand-pack";
import { ADMIN, bearer, mint, send, tokenEnv } from "../../support/workerd/worker";

const lines: { level: LogLevel; entry: Record<string, unknown> }[] = [];
const capture = () => {
  lines.length = 0;
  setLogSink((level, line) => lines.push({ level, entry: JSON.parse(line) }));
};
/** The operation lines of `repo`: background jobs of other tests' repositories may log meanwhile. */
const operations = (repo = "o/r") => lines.filter((l) => l.entry.event === "operation" && l.entry.repo === repo).map((l) => l.entry);

afterEach(() => {
  setLogSink(null);
  setLogLevel("info");
});

describe("Operation", () => {
  it("writes one line when it finishes, with its counts, and nothing on a second finish", () => {
    capture();
    const counters = new Counters();
    const op = new Operation("push", { repo: "o/r", requestId: "rid", actor: "ci", counters });
    op.objectsIn = 3;
    op.bytesIn = 100;
    op.pushId = "p1";
    counters.r2ClassB += 2;
    op.finish();
    op.finish();
    expect(operations()).toEqual([
      expect.objectContaining({ level: "info", repo: "o/r", op: "push", actor: "ci", requestId: "rid", pushId: "p1", objectsIn: 3, bytesIn: 100, objectsOut: 0, bytesOut: 0, r2ClassA: 0, r2ClassB: 2, outcome: "ok" }),
    ]);
    expect(operations()[0]).toHaveProperty("durationMs");
  });

  it("records a refusal as a warning and a failure as an error, a failure outranking a refusal", () => {
    capture();
    const refused = new Operation("fetch", { repo: "o/r" });
    refused.refuse("want x is not our ref");
    refused.finish();
    const failed = new Operation("fetch", { repo: "o/r" });
    failed.fail(new TypeError("boom"));
    failed.refuse("later");
    failed.finish();
    expect(lines.filter((l) => l.entry.repo === "o/r").map((l) => [l.level, l.entry.outcome, l.entry.error, l.entry.message])).toEqual([
      ["warn", "refused", "refused", "want x is not our ref"],
      ["error", "error", "TypeError", "boom"],
    ]);
  });

  it("counts a response's bytes and finishes once it is read; drops lines under LOG_LEVEL", async () => {
    capture();
    const op = new Operation("clone", { repo: "o/r" });
    const body = op.countOut(new Response(new Uint8Array(1000)).body!);
    expect(operations()).toHaveLength(0);
    expect((await new Response(body).arrayBuffer()).byteLength).toBe(1000);
    expect(operations()).toEqual([expect.objectContaining({ op: "clone", bytesOut: 1000 })]);
    setLogLevel("warn");
    new Operation("clone", { repo: "o/r" }).finish();
    expect(operations()).toHaveLength(1);
  });
});

describe("operation lines through the Worker", () => {
  it("logs a push, a clone and API writes once each, with the request id the client got, and no secret or content", async () => {
    const marker = `secret-content-${crypto.randomUUID()}`;
    const name = `obs-${crypto.randomUUID().slice(0, 8)}`;
    const writer = await mint({ name: "observer", repos: [`o/${name}`], scopes: ["admin"] });
    capture();
    const blob = object("blob", `${marker}\n`);
    const root = tree(["100644", "notes.txt", blob.oid]);
    const tip = commit(root.oid);
    const push = await send(new Request(`http://x/o/${name}.git/git-receive-pack`, bearer(writer.token, { method: "POST", body: pushBody("refs/heads/main", tip.oid, [blob, root, tip]) })));
    expect(push.status).toBe(200);
    await push.arrayBuffer();

    const fetchBody = concatBytes([encodePkt("command=fetch\n"), new TextEncoder().encode("0001"), encodePkt(`want ${tip.oid}\n`), encodePkt("done\n"), FLUSH]);
    const clone = await send(new Request(`http://x/o/${name}.git/git-upload-pack`, bearer(writer.token, { method: "POST", body: fetchBody, headers: { "Git-Protocol": "version=2" } })));
    expect(clone.status).toBe(200);
    await clone.arrayBuffer();
    const patch = await send(new Request(`http://x/api/repos/o/${name}`, bearer(writer.token, { method: "PATCH", body: JSON.stringify({ visibility: "public" }) })));
    expect(patch.status).toBe(200);
    const housekeeping = await send(new Request(`http://x/api/repos/o/${name}/housekeeping`, bearer(writer.token, { method: "POST" })));
    const report = await housekeeping.json<{ reason: string }>();
    const health = await (await send(new Request(`http://x/api/repos/o/${name}/health`, bearer(writer.token)))).json<{ lastRuns: { housekeeping: { summary: string } } }>();
    expect(health.lastRuns.housekeeping.summary).toBe(report.reason);

    const mine = operations(`o/${name}`);
    const [pushed, cloned, patched, repacked] = mine;
    expect(mine).toHaveLength(4);
    expect(repacked).toMatchObject({ op: "housekeeping", outcome: "ok", actor: "observer" });
    expect(pushed).toMatchObject({ repo: `o/${name}`, op: "push", actor: "observer", outcome: "ok", objectsIn: 3, requestId: push.headers.get("X-Request-Id") });
    expect(pushed.pushId).toEqual(expect.any(String));
    expect(pushed.bytesIn as number).toBeGreaterThan(100);
    expect(pushed.rowsWritten as number).toBeGreaterThan(0);
    expect(cloned).toMatchObject({ op: "clone", objectsOut: 3, outcome: "ok", requestId: clone.headers.get("X-Request-Id") });
    expect(cloned.bytesOut as number).toBeGreaterThan(0);
    expect(cloned.rowsRead as number).toBeGreaterThan(0);
    expect(patched).toMatchObject({ op: "settings", outcome: "ok" });
    const all = lines.map((l) => JSON.stringify(l.entry)).join("\n");
    for (const secret of [marker, writer.token, ADMIN, "Authorization", "Bearer"]) expect(all).not.toContain(secret);
  });

  it("logs a refused request with the id that ends the refusal git shows", async () => {
    capture();
    const res = await send(new Request("http://x/o/nothing-here.git/git-receive-pack", { method: "POST", body: new Uint8Array(0) }), tokenEnv());
    expect(res.status).toBe(401);
    const id = res.headers.get("X-Request-Id")!;
    expect(await res.text()).toContain(`request id: ${id}`);
    expect(lines.map((l) => l.entry)).toContainEqual(expect.objectContaining({ event: "request refused", requestId: id, status: 401 }));
  });
});
