// GET ref-log.ndjson: the whole log (optionally filtered like ref-log) as one JSON event per line, in
// seq order, read from SQLite a batch at a time as the client consumes the stream.
import { eventBatches } from "../refs/audit";
import type { ApiContext } from "./context";
import { eventJson } from "./event-json";
import { FILTER_PARAMS, parseFilter, readQuery } from "./params";

export const NDJSON_BATCH = 1000;

export function getRefLogNdjson({ repo, url }: ApiContext): Response {
  const filter = parseFilter(readQuery(url, FILTER_PARAMS));
  // The export ends where the log ended when it was asked for, even if pushes land while it streams.
  const batches = eventBatches(repo.sql, filter, repo.refs.lastSeq(), NDJSON_BATCH);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = batches.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((e) => `${JSON.stringify(eventJson(e))}\n`).join("")));
    },
    cancel() {
      batches.return(undefined);
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8" } });
}
