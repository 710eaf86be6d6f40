// The repository's side of sending webhooks, which the hooks queue's consumer (worker/hooks/) calls:
// the next delivery of a hook, taken under the hook's lease so that one sender at a time delivers its
// events in log order; what an attempt came to (a delivered event moves the hook's place past it);
// and one delivery prepared again for a redelivery, outside that order.
import type { Repository } from "../repository";
import { findDelivery, recordAttempt, type Attempt, type OutboxItem } from "./deliveries";
import { advanceHook, claimHook, findHook, releaseHook } from "./hooks";
import { nextItem } from "./outbox";
import { prepare, type PreparedDelivery } from "./prepare";
import { retryDelayMs } from "./retry";

/** A sender that stops without a word (crashed) gives the hook up after this long. */
const LEASE_MS = 60_000;

/**
 * What a sender gets: a delivery to send; nothing (the hook is up to date, gone or inactive); or how
 * long to wait, while another sender holds the hook or the next retry is not due.
 */
export type NextDelivery = { delivery: PreparedDelivery } | { upToDate: true } | { waitMs: number };

export async function nextDelivery(repo: Repository, hookId: string, retryBaseMs: number, now = Date.now()): Promise<NextDelivery> {
  const hook = findHook(repo.sql, hookId);
  if (!hook || !hook.active) return { upToDate: true };
  if (!claimHook(repo.sql, hookId, now, now + LEASE_MS)) return { waitMs: Math.max(1000, (hook.leaseUntil ?? now) - now) };
  const item = nextItem(repo.sql, hook);
  const earlier = item && findDelivery(repo.sql, hookId, item.id);
  const due = earlier ? earlier.lastAttemptAt + retryDelayMs(earlier.attempts, retryBaseMs) : now;
  if (!item || due > now) {
    releaseHook(repo.sql, hookId);
    return item ? { waitMs: due - now } : { upToDate: true };
  }
  return { delivery: await prepare(repo, hook, item) };
}

/** Records an attempt; returns how many there have been. In order (not a redelivery), it ends the lease, and success moves the hook on. */
export function deliveryDone(repo: Repository, item: OutboxItem, attempt: Attempt, redelivery: boolean, now = Date.now()): number {
  return repo.transaction(() => {
    const delivery = recordAttempt(repo.sql, item, attempt, now);
    if (!redelivery) {
      if (attempt.ok) advanceHook(repo.sql, item.hookId, item.log, item.lastSeq);
      releaseHook(repo.sql, item.hookId);
    }
    return delivery.attempts;
  });
}

export async function redelivery(repo: Repository, hookId: string, deliveryId: string): Promise<PreparedDelivery | null> {
  const hook = findHook(repo.sql, hookId);
  const delivery = findDelivery(repo.sql, hookId, deliveryId);
  return hook && delivery ? prepare(repo, hook, delivery) : null;
}
