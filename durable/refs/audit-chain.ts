// Verification of the ref log's hash chain: every event must carry the hash of the event before it
// (GENESIS_HASH for the first). Reads the log in batches and yields between them.
import { tick } from "../pacing";
import { eventBatches } from "./audit";
import { eventHash, GENESIS_HASH } from "./log";

export type ChainReport = { ok: true; events: number } | { ok: false; brokenAt: number };

/**
 * Checks the events up to `upTo`. `brokenAt` is the first event whose prevHash differs from the hash
 * of its predecessor: that event's prevHash, or its predecessor's content, was altered (or an event
 * in between was removed). A change to the very last event's content has no successor to expose it.
 */
export async function verifyChain(sql: SqlStorage, upTo: number, batchSize = 1000, yieldBetween: () => Promise<void> = tick): Promise<ChainReport> {
  let expected = GENESIS_HASH;
  let events = 0;
  for (const batch of eventBatches(sql, {}, upTo, batchSize)) {
    for (const event of batch) {
      if (event.prevHash !== expected) return { ok: false, brokenAt: event.seq };
      expected = eventHash(event);
      events++;
    }
    await yieldBetween();
  }
  return { ok: true, events };
}
