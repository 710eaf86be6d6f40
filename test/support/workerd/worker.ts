// The Worker as the access-control tests call it: its real fetch handler, with the project's bindings
// (real local Durable Objects, R2, Queue) and vars of the test's choosing, token mode by default.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index";
import type { Env } from "../../../worker/env";

export const ADMIN = "test-admin-secret";

/** Vars of a server in token mode with ADMIN_TOKEN set; a fresh object, so its settings are parsed anew. */
export function tokenEnv(vars: Partial<Env> = {}): Env {
  return { ...(env as unknown as Env), AUTH_MODE: "token", ADMIN_TOKEN: ADMIN, ...vars };
}

/** Sends `request` through the Worker with `vars` (tokenEnv by default). */
export async function send(request: Request, vars: Env = tokenEnv()): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, vars, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` } };
}

/** Mints a token as the admin and returns its secret and id. */
export async function mint(spec: { name?: string; repos: string[]; scopes: string[]; expiresAt?: string }, vars: Env = tokenEnv()): Promise<{ token: string; id: string }> {
  const res = await send(new Request("http://x/api/tokens", bearer(ADMIN, { method: "POST", body: JSON.stringify({ name: spec.name ?? "t", ...spec }) })), vars);
  if (res.status !== 201) throw new Error(`minting failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; id: string };
}
