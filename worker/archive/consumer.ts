// The archive Queue's consumer: one job per message, acked only after its commit, retried with
// exponential backoff on failure (the queue's dead-letter queue takes what fails every retry).
import type { ArchiveMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { archiveRepository } from "./archive-repo";

export async function consumeArchiveBatch(batch: MessageBatch<ArchiveMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await archiveRepository(env, message.body.repo);
      message.ack();
    } catch (e) {
      console.error(`archive job for ${message.body.repo} failed (attempt ${message.attempts})`, e);
      await env.REPO.get(env.REPO.idFromName(message.body.repo)).archiveFailed(e instanceof Error ? e.message : String(e)).catch(() => undefined);
      message.retry({ delaySeconds: Math.min(600, 5 * 2 ** message.attempts) });
    }
  }
}
