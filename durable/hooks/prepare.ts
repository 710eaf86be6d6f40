// A delivery ready to send: the hook's URL, the body and the headers, signed here so that a hook's
// secret never leaves its repository's Durable Object. The headers follow GitHub's under this
// server's own names: the event, the delivery id (stable across retries) and the hook id.
import type { Repository } from "../repository";
import type { OutboxItem } from "./deliveries";
import { hookSecret, type Hook } from "./hooks";
import { itemEvents } from "./outbox";
import { payload } from "./payload";
import { signature } from "./signature";

export const EVENT_HEADER = "X-Git-On-Workers-Event";
export const DELIVERY_HEADER = "X-Git-On-Workers-Delivery";
export const HOOK_HEADER = "X-Git-On-Workers-Hook-Id";

export interface PreparedDelivery {
  item: OutboxItem;
  url: string;
  body: string;
  headers: Record<string, string>;
}

export async function prepare(repo: Repository, hook: Hook, item: OutboxItem): Promise<PreparedDelivery> {
  const body = JSON.stringify(await payload(repo, item, itemEvents(repo.sql, item)));
  return {
    item,
    url: hook.url,
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "git-on-workers-hookshot",
      [EVENT_HEADER]: item.event,
      [DELIVERY_HEADER]: item.id,
      [HOOK_HEADER]: hook.id,
      "X-Hub-Signature-256": await signature(hookSecret(repo.sql, hook.id) ?? "", body),
    },
  };
}
