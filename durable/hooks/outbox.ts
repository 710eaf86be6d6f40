// What a webhook is sent next: the logs are the outbox. After the hook's place in the ref log, the
// events of the next push (or restore) are one delivery; after its place in the settings log, the
// next change of visibility or description, or a deletion or undeletion, is one `repository`
// delivery. The two logs are merged by time (the ref log first on a tie), so the receiver sees them
// in the order they happened. Events the hook did not subscribe to, and protection changes, are
// passed over: its place moves past them.
import { settingsEventPage, type SettingsEvent } from "../access/repo-settings";
import { eventPage, pushEvents } from "../refs/audit";
import type { RefEvent } from "../refs/log";
import { deliveryId, type OutboxItem } from "./deliveries";
import { advanceHook, type Hook } from "./hooks";

/** The events of one outbox item, as the payload is built from them. */
export type ItemEvents = { log: "ref"; events: RefEvent[] } | { log: "settings"; events: SettingsEvent[] };

function repositoryChange(e: SettingsEvent): boolean {
  return e.visibility !== null || e.description !== null || e.deleted !== null;
}

/** The next item to deliver to `hook`, moving its place past what it does not want; null when it is up to date. */
export function nextItem(sql: SqlStorage, hook: Hook): OutboxItem | null {
  let { refCursor, settingsCursor } = hook;
  for (;;) {
    const ref = eventPage(sql, {}, { order: "asc", after: refCursor }, 1)[0];
    const setting = settingsEventPage(sql, "asc", settingsCursor, 1)[0];
    if (!ref && !setting) return null;
    if (ref && (!setting || ref.at <= setting.at)) {
      const events = pushEvents(sql, ref.pushId).filter((e) => e.seq > refCursor);
      const lastSeq = events[events.length - 1]!.seq;
      const event = events.every((e) => e.kind === "restore") ? "restore" : "push";
      if (hook.events.includes(event)) return { id: deliveryId(hook.id, "ref", ref.seq), hookId: hook.id, event, log: "ref", firstSeq: ref.seq, lastSeq };
      advanceHook(sql, hook.id, "ref", lastSeq);
      refCursor = lastSeq;
    } else {
      if (hook.events.includes("repository") && repositoryChange(setting!)) {
        return { id: deliveryId(hook.id, "settings", setting!.seq), hookId: hook.id, event: "repository", log: "settings", firstSeq: setting!.seq, lastSeq: setting!.seq };
      }
      advanceHook(sql, hook.id, "settings", setting!.seq);
      settingsCursor = setting!.seq;
    }
  }
}

/** The logged events an item stands for. */
export function itemEvents(sql: SqlStorage, item: OutboxItem): ItemEvents {
  if (item.log === "settings") return { log: "settings", events: settingsEventPage(sql, "asc", item.firstSeq - 1, 1) };
  const first = eventPage(sql, {}, { order: "asc", after: item.firstSeq - 1 }, 1)[0];
  const events = first ? pushEvents(sql, first.pushId).filter((e) => e.seq >= item.firstSeq && e.seq <= item.lastSeq) : [];
  return { log: "ref", events };
}
