// GET /api/health: whether this deployment can serve, for a load balancer or an operator: the registry
// Durable Object answers (tokens and repository names live there), and which version runs. A queue's
// backlog cannot be read from a Worker; the dashboard shows it.
import { errorFields } from "../durable/observe/log";
import { AGENT } from "../durable/protocol/capabilities";
import { registry } from "../durable/registry/registry-object";
import type { Env } from "./env";

export async function serverHealth(env: Env): Promise<Response> {
  const started = Date.now();
  let error: string | null = null;
  try {
    await registry(env).exists("health/check");
  } catch (e) {
    error = errorFields(e).message;
  }
  const body = { ok: error === null, version: AGENT, registry: { ok: error === null, latencyMs: Date.now() - started, error }, queueBacklog: null };
  return Response.json(body, { status: error === null ? 200 : 503 });
}
