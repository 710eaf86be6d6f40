// One webhook delivery sent: a POST of the prepared body and headers to the hook's URL, which is
// checked again here (a hook stored before its address was refused, or with the setting changed since,
// is not sent), with no redirect followed and a 10-second limit. 2xx is delivered; anything else,
// a network error or the time running out is a failed attempt, to be retried.
import type { Attempt } from "../../durable/hooks/deliveries";
import type { PreparedDelivery } from "../../durable/hooks/prepare";
import { outboundUrlProblem } from "../../durable/hooks/public-url";

const TIMEOUT_MS = 10_000;

export async function send(delivery: PreparedDelivery, allowPrivate: boolean): Promise<Attempt> {
  const problem = outboundUrlProblem(delivery.url, allowPrivate);
  if (problem) return { ok: false, responseCode: null, durationMs: 0, error: problem };
  const start = performance.now();
  try {
    const response = await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, responseCode: response.status, durationMs: performance.now() - start, error: ok ? null : `the receiver answered HTTP ${response.status}` };
  } catch (e) {
    const error = e instanceof Error && e.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : `the request failed: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, responseCode: null, durationMs: performance.now() - start, error };
  }
}
