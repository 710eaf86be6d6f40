// The scheduled job's part in webhooks: a delivery run for every repository with an active hook,
// so that an event whose message was never queued (a crash between the write and the send) or whose
// message ran out of retries is still delivered. A repository whose hooks are up to date answers at once.
import { Operation } from "../../durable/observe/operation";
import { registry } from "../../durable/registry/registry-object";
import type { Env } from "../env";

const QUEUE_BATCH = 100;

export async function resumeDeliveries(env: Env): Promise<void> {
  const op = new Operation("webhook-resume", { repo: "", actor: "cron", metrics: env.METRICS });
  try {
    const names = await registry(env).withHooks();
    for (let i = 0; i < names.length; i += QUEUE_BATCH) await env.HOOK_QUEUE.sendBatch(names.slice(i, i + QUEUE_BATCH).map((repo) => ({ body: { repo } })));
    op.objectsOut = names.length;
  } catch (e) {
    op.fail(e);
  } finally {
    op.finish();
  }
}
