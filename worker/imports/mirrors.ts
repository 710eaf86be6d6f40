// The scheduled job's part in mirrors: each run queues the next fetch of every mirror whose last one
// is over (or was lost), so a mirror is at most one scheduled interval behind its remote.
import { Operation } from "../../durable/observe/operation";
import { registry } from "../../durable/registry/registry-object";
import type { ImportMessage } from "../../durable/repo-object";
import type { Env } from "../env";

const QUEUE_BATCH = 100;

export async function refreshMirrors(env: Env): Promise<void> {
  const op = new Operation("mirror-refresh", { repo: "", actor: "cron", metrics: env.METRICS });
  try {
    const jobs: ImportMessage[] = [];
    for (const name of await registry(env).mirrors()) {
      const job = await env.REPO.get(env.REPO.idFromName(name)).queueMirror();
      if (job) jobs.push(job);
    }
    for (let i = 0; i < jobs.length; i += QUEUE_BATCH) await env.IMPORT_QUEUE.sendBatch(jobs.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
    op.objectsOut = jobs.length;
  } catch (e) {
    op.fail(e);
  } finally {
    op.finish();
  }
}
