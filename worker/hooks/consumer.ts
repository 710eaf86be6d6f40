// The hooks Queue's consumer. A message names a repository and a hook (or none: every active hook
// of it, as the scheduled job asks): the hook's events are sent one after the other, in log order,
// while the receiver takes them; the first failure ends the run, and the message comes back after
// the hook's backoff. A run that finds another sender on the hook, or a retry not yet due, comes back
// when that lease or backoff ends (and then most likely finds the hook up to date). A redelivery
// message sends one delivery once.
// Each run is an operation with its log line (deliveries sent count as objects out).
import { Operation } from "../../durable/observe/operation";
import { retryDelayMs } from "../../durable/hooks/retry";
import type { HookMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { settings } from "../settings";
import { send } from "./send";

/** Deliveries per message; a longer backlog continues in a new message, so no run nears the consumer's time limit. */
const DELIVERIES_PER_RUN = 100;

export async function consumeHookBatch(batch: MessageBatch<HookMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const op = new Operation("webhooks", { repo: message.body.repo, actor: "webhooks", metrics: env.METRICS });
    try {
      const retryMs = await run(message.body, env, op);
      if (retryMs === null) message.ack();
      else message.retry({ delaySeconds: Math.ceil(retryMs / 1000) });
    } catch (e) {
      op.fail(e);
      message.retry({ delaySeconds: Math.ceil(settings(env).outbound.retryBaseMs / 1000) });
    } finally {
      op.finish();
    }
  }
}

/** Sends what the message asks for; the delay before it should come back, or null when it is done. */
async function run(m: HookMessage, env: Env, op: Operation): Promise<number | null> {
  const { allowPrivateUrls, retryBaseMs } = settings(env).outbound;
  const repo = env.REPO.get(env.REPO.idFromName(m.repo));
  if (m.hook === undefined) {
    const ids = await repo.activeHookIds();
    if (ids.length > 0) await env.HOOK_QUEUE.sendBatch(ids.map((hook) => ({ body: { repo: m.repo, hook } })));
    return null;
  }
  if (m.delivery !== undefined) {
    const delivery = await repo.hookRedelivery(m.hook, m.delivery);
    if (delivery) await repo.hookDone(delivery.item, await send(delivery, allowPrivateUrls), true);
    op.objectsOut = delivery ? 1 : 0;
    return null;
  }
  for (let sent = 0; sent < DELIVERIES_PER_RUN; sent++) {
    const next = await repo.hookNext(m.hook);
    if ("upToDate" in next) return null;
    if ("waitMs" in next) return next.waitMs;
    const attempt = await send(next.delivery, allowPrivateUrls);
    const attempts = await repo.hookDone(next.delivery.item, attempt, false);
    op.objectsOut = sent + 1;
    if (!attempt.ok) {
      op.refuse(`delivery ${next.delivery.item.id} failed (attempt ${attempts}): ${attempt.error}`);
      return retryDelayMs(attempts, retryBaseMs);
    }
  }
  await env.HOOK_QUEUE.send(m);
  return null;
}
