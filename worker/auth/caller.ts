// Who sent a request, from its credentials and the auth settings, and what that caller may do in one
// repository. One token check costs one call to the registry Durable Object (one primary-key read);
// a request without credentials costs none. Nothing is cached, so a revoked token fails at once.
import { LEVELS, type Level, type Principal } from "../../durable/access/principal";
import { coversRepo } from "../../durable/access/repo-patterns";
import { AuthRequired, RateLimited } from "../../durable/errors";
import { registry } from "../../durable/registry/registry-object";
import type { TokenInfo } from "../../durable/registry/tokens";
import { sameSecret } from "../../durable/registry/secrets";
import type { Env } from "../env";
import { settings, type AuthSettings } from "../settings";
import { presentedSecret } from "./credentials";

export type Caller = { kind: "open" } | { kind: "anonymous" } | { kind: "admin" } | { kind: "token"; token: TokenInfo };

export const REALM = 'Basic realm="git-on-workers", charset="UTF-8"';

/** The caller, or a thrown AuthRequired (wrong, unknown, expired or revoked token) or 429. */
export async function identify(request: Request, env: Env): Promise<Caller> {
  const auth = settings(env).auth;
  if (auth.mode === "open") return { kind: "open" };
  const secret = presentedSecret(request.headers.get("Authorization"));
  if (secret === null) return { kind: "anonymous" };
  const isAdmin = auth.adminToken !== null && (await sameSecret(secret, auth.adminToken));
  const client = request.headers.get("CF-Connecting-IP") ?? "unknown";
  const result = await registry(env).authenticate(secret, isAdmin, client, { limit: auth.failureLimit, windowMs: auth.failureWindowMs });
  if (result.status === "limited") throw new RateLimited("too many failed authentications from this address; wait and try again", Math.ceil(result.retryAfterMs / 1000));
  if (result.status === "invalid") throw new AuthRequired("the token is wrong, expired or revoked: create a new one, or fix the stored credential");
  return result.token ? { kind: "token", token: result.token } : { kind: "admin" };
}

/** The highest level among a token's scopes. */
export function tokenLevel(token: TokenInfo): Level {
  return token.scopes.reduce<Level>((best, s) => (LEVELS.indexOf(s) > LEVELS.indexOf(best) ? s : best), "none");
}

/** What `caller` may do in repository `repo`, as the repository's Durable Object receives it. */
export function principalFor(caller: Caller, repo: string, auth: AuthSettings): Principal {
  const writesLocked = auth.mode === "token" && auth.adminToken === null ? LOCKED : null;
  switch (caller.kind) {
    case "open":
      return { actor: "anonymous", actorId: null, access: "admin", presented: false, writesLocked: null };
    case "anonymous":
      return { actor: "anonymous", actorId: null, access: "none", presented: false, writesLocked };
    case "admin":
      return { actor: "admin", actorId: null, access: "admin", presented: true, writesLocked };
    case "token":
      return { actor: caller.token.name, actorId: caller.token.id, access: coversRepo(caller.token.repos, repo) ? tokenLevel(caller.token) : "none", presented: true, writesLocked };
  }
}

export const LOCKED = "writes are refused: this server runs with AUTH_MODE=token and no ADMIN_TOKEN secret is set (wrangler secret put ADMIN_TOKEN; locally --var ADMIN_TOKEN:... or .dev.vars)";
