// How long a failed delivery waits before its next attempt: the base (WEBHOOK_RETRY_SECONDS), doubled
// with each failure, at most 15 minutes, so that a receiver down for an hour is tried a few times an
// hour and gets everything, in order, soon after it is back.

const MAX_DELAY_MS = 15 * 60_000;

export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}
