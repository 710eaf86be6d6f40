// The scheduled scan: asks the registry which repositories are above the high watermark or hold
// packs not read for the cold threshold, and queues an archive job for each, 100 messages a batch.
// Each run is an operation with its log line (the repositories queued count as objects out).
import { Operation } from "../../durable/observe/operation";
import { registry } from "../../durable/registry/registry-object";
import type { ArchiveMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { settings } from "../settings";

const QUEUE_BATCH = 100;

/** The scan as the cron trigger runs it: logged once, never thrown (the next run tries again). */
export async function scheduledScan(env: Env): Promise<void> {
  const op = new Operation("archive-scan", { repo: "", actor: "cron", metrics: env.METRICS });
  try {
    op.objectsOut = (await scanForArchival(env)).length;
  } catch (e) {
    op.fail(e);
  } finally {
    op.finish();
  }
}

export async function scanForArchival(env: Env, now = Date.now()): Promise<string[]> {
  const { archive } = settings(env);
  const names = await registry(env).candidates(archive.highWatermark * archive.limitBytes, now - archive.coldAfterMs);
  for (let i = 0; i < names.length; i += QUEUE_BATCH) {
    await env.ARCHIVE_QUEUE.sendBatch(names.slice(i, i + QUEUE_BATCH).map((repo) => ({ body: { repo } satisfies ArchiveMessage })));
  }
  return names;
}
