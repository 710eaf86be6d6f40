// The archive Queue's consumer: one job per message, acked only after its commit, retried with
// exponential backoff on failure (the queue's dead-letter queue takes what fails every retry). Each
// job is an operation with its own log line, R2 operations counted.
import { Counters } from "../../durable/observe/counters";
import { Operation } from "../../durable/observe/operation";
import type { ArchiveMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { settings } from "../settings";
import { archiveRepository } from "./archive-repo";

export async function consumeArchiveBatch(batch: MessageBatch<ArchiveMessage>, env: Env): Promise<void> {
  settings(env);
  for (const message of batch.messages) {
    const counters = new Counters();
    const op = new Operation("archive", { repo: message.body.repo, actor: "archive", counters, metrics: env.METRICS });
    try {
      const outcome = await archiveRepository({ ...env, ARCHIVE: counters.countR2(env.ARCHIVE) }, message.body.repo);
      op.bytesOut = outcome.bytes;
      message.ack();
    } catch (e) {
      op.fail(e);
      await env.REPO.get(env.REPO.idFromName(message.body.repo)).archiveFailed(e instanceof Error ? e.message : String(e)).catch(() => undefined);
      message.retry({ delaySeconds: Math.min(600, 5 * 2 ** message.attempts) });
    } finally {
      op.finish();
    }
  }
}
