// GET ref-log.ndjson: the whole log in seq order, one event per line in the ref-log shape, streamed
// a bounded batch per chunk, filtered like ref-log, and ending where the log ended when asked.
import { describe, expect, it } from "vitest";
import { NDJSON_BATCH } from "../../../durable/api/ndjson";
import type { Repository } from "../../../durable/repository";
import { api, call, oid, ok, seed } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

async function exportLog(repo: Repository, query = ""): Promise<{ response: Response; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const response = await call(repo, `ref-log.ndjson${query}`);
  return { response, reader: response.body!.getReader() };
}

/** Reads the rest of the stream; returns its chunks as parsed lines. */
async function chunks(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<any[][]> {
  const decoder = new TextDecoder();
  const out: any[][] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    const text = decoder.decode(value);
    expect(text.endsWith("\n")).toBe(true);
    out.push(text.slice(0, -1).split("\n").map((line) => JSON.parse(line)));
  }
}

const history = (n: number) => Array.from({ length: n }, (_, i) => ({ ref: i % 5 === 0 ? `refs/tags/t${i}` : `refs/heads/b${i % 3}`, to: oid(i + 1), actor: i % 2 ? "bob" : "alice" }));

describe("GET ref-log.ndjson", () => {
  it("streams every event in seq order, a batch per chunk, in the ref-log shape", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...history(2345));
      const { response, reader } = await exportLog(repo);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toMatch(/^application\/x-ndjson/);
      const parts = await chunks(reader);
      expect(parts.map((p) => p.length)).toEqual([NDJSON_BATCH, NDJSON_BATCH, 345]);
      const lines = parts.flat();
      expect(lines.map((e) => e.seq)).toEqual(Array.from({ length: 2345 }, (_, i) => i + 1));
      expect(lines.slice(0, 1000)).toEqual((await ok(repo, "ref-log?order=asc&limit=1000")).events);
    });
  });

  it("filters like ref-log", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...history(60));
      const { reader } = await exportLog(repo, "?ref=refs/tags/*&actor=alice");
      const expected = (await ok(repo, "ref-log?ref=refs/tags/*&actor=alice&order=asc&limit=1000")).events;
      expect(expected.length).toBeGreaterThan(0);
      expect((await chunks(reader)).flat()).toEqual(expected);
    });
  });

  it("ends where the log ended when the export began, even if events land while it streams", async () => {
    await inRepo(async (repo) => {
      seed(repo, ...history(1500));
      const { reader } = await exportLog(repo);
      const first = await reader.read();
      expect(first.done).toBe(false);
      seed(repo, ...history(700));
      const rest = (await chunks(reader)).flat();
      expect(rest.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => 1001 + i));
    });
  });

  it("answers an empty body for an empty log, and 400 for a bad filter", async () => {
    await inRepo(async (repo) => {
      repo.create("o/r");
      const { reader } = await exportLog(repo);
      expect(await chunks(reader)).toEqual([]);
      const bad = await api(repo, "ref-log.ndjson?limit=5");
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe("invalid parameter 'limit'");
    });
  });
});
