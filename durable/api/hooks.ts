// The webhook API, all for admins: hooks (GET, POST), hooks/{id} (GET, PATCH, DELETE),
// hooks/{id}/deliveries (GET) and hooks/{id}/deliveries/{delivery}/redeliver (POST). A new hook is
// sent what the logs record after its creation. Its secret is stored as given, since every delivery
// is signed with it, and never shown again. The deliveries themselves are sent by the hooks queue's
// consumer (worker/hooks/), which the repository asks after each write.
import { lastSettingsSeq } from "../access/repo-settings";
import { ApiError } from "../errors";
import { HOOK_EVENTS, createHook, deleteHook, findHook, listHooks, updateHook, type Hook, type HookEvent, type HookSpec } from "../hooks/hooks";
import { dropDeliveries, findDelivery, recentDeliveries, type Delivery } from "../hooks/deliveries";
import { outboundUrlProblem } from "../hooks/public-url";
import { readJsonObject } from "./body";
import type { ApiContext } from "./context";
import { isoTime } from "./event-json";
import { badParameter, parseLimit, readQuery } from "./params";

const FIELDS = ["url", "secret", "events", "active"];
const MAX_HOOKS = 20;
const MAX_SECRET = 256;

export function hookJson(h: Hook): Record<string, unknown> {
  return { id: h.id, url: h.url, events: h.events, active: h.active, createdBy: h.actor, createdAt: isoTime(h.createdAt), cursor: { refLog: h.refCursor, settingsLog: h.settingsCursor } };
}

function deliveryJson(d: Delivery): Record<string, unknown> {
  return {
    id: d.id,
    event: d.event,
    log: d.log,
    seq: { first: d.firstSeq, last: d.lastSeq },
    status: d.status,
    attempts: d.attempts,
    responseCode: d.responseCode,
    durationMs: d.durationMs,
    error: d.error,
    firstAttemptAt: isoTime(d.firstAttemptAt),
    lastAttemptAt: isoTime(d.lastAttemptAt),
  };
}

/** The fields of a POST (all but `active` required) or a PATCH (any). */
function parseSpec(body: Record<string, unknown>, allowPrivate: boolean, partial: boolean): Partial<HookSpec> {
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badParameter(key, `unknown field; a hook has ${FIELDS.join(", ")}`);
  const spec: Partial<HookSpec> = {};
  if (body.url !== undefined || !partial) {
    if (typeof body.url !== "string") throw badParameter("url", "the receiver's http or https URL is required");
    const problem = outboundUrlProblem(body.url, allowPrivate);
    if (problem) throw badParameter("url", problem);
    spec.url = body.url;
  }
  if (body.secret !== undefined || !partial) {
    if (typeof body.secret !== "string" || body.secret.length < 1 || body.secret.length > MAX_SECRET) throw badParameter("secret", `1-${MAX_SECRET} characters are required: the key of X-Hub-Signature-256`);
    spec.secret = body.secret;
  }
  if (body.events !== undefined || !partial) {
    const events = body.events;
    if (!Array.isArray(events) || events.length === 0 || events.some((e) => !HOOK_EVENTS.includes(e as HookEvent))) throw badParameter("events", `a non-empty array of ${HOOK_EVENTS.join(", ")} is required`);
    spec.events = [...new Set(events as HookEvent[])];
  }
  if (body.active !== undefined) {
    if (typeof body.active !== "boolean") throw badParameter("active", "must be true or false");
    spec.active = body.active;
  }
  return spec;
}

function hookOf({ repo, params }: ApiContext): Hook {
  const hook = findHook(repo.sql, params.hookId!);
  if (!hook) throw new ApiError(404, "hook not found", { id: params.hookId });
  return hook;
}

export function getHooks({ repo, url }: ApiContext): Response {
  readQuery(url, []);
  return Response.json({ hooks: listHooks(repo.sql).map(hookJson) });
}

export async function postHook({ repo, request, principal }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request, repo.settings.limits.apiBodyBytes);
  const spec = parseSpec(body, repo.settings.outbound.allowPrivateUrls, false) as HookSpec;
  if (listHooks(repo.sql).length >= MAX_HOOKS) throw new ApiError(409, `a repository has at most ${MAX_HOOKS} hooks; delete one first`);
  const cursors = { ref: repo.refs.lastSeq(), settings: lastSettingsSeq(repo.sql) };
  const hook = createHook(repo.sql, { ...spec, active: spec.active ?? true }, principal.actor, cursors, Date.now());
  return Response.json(hookJson(hook), { status: 201 });
}

export function getHook(ctx: ApiContext): Response {
  readQuery(ctx.url, []);
  return Response.json(hookJson(hookOf(ctx)));
}

export async function patchHook(ctx: ApiContext): Promise<Response> {
  const hook = hookOf(ctx);
  const body = await readJsonObject(ctx.request, ctx.repo.settings.limits.apiBodyBytes);
  const spec = parseSpec(body, ctx.repo.settings.outbound.allowPrivateUrls, true);
  return Response.json(hookJson(updateHook(ctx.repo.sql, hook.id, spec)!));
}

export function deleteHookRoute(ctx: ApiContext): Response {
  const hook = hookOf(ctx);
  ctx.repo.transaction(() => {
    deleteHook(ctx.repo.sql, hook.id);
    dropDeliveries(ctx.repo.sql, hook.id);
  });
  return new Response(null, { status: 204 });
}

export function getDeliveries(ctx: ApiContext): Response {
  const query = readQuery(ctx.url, ["limit"]);
  const hook = hookOf(ctx);
  return Response.json({ deliveries: recentDeliveries(ctx.repo.sql, hook.id, parseLimit(query.get("limit") ?? "30")).map(deliveryJson) });
}

/** Queues the delivery to be sent once more, whatever became of it before (202). */
export async function postRedeliver(ctx: ApiContext): Promise<Response> {
  const hook = hookOf(ctx);
  const delivery = findDelivery(ctx.repo.sql, hook.id, ctx.params.deliveryId!);
  if (!delivery) throw new ApiError(404, "delivery not found", { id: ctx.params.deliveryId });
  await ctx.hooks.redeliver(hook.id, delivery.id);
  return Response.json({ queued: deliveryJson(delivery) }, { status: 202 });
}
