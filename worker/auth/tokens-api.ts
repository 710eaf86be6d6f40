// /api/tokens: minting (POST), listing (GET) and revoking (DELETE /api/tokens/{id}) access tokens, in
// the registry Durable Object. The admin (ADMIN_TOKEN) manages every token; a token with the admin
// scope manages the tokens whose repository patterns its own patterns cover, and mints only such.
import { coversPattern, checkRepoPattern } from "../../durable/access/repo-patterns";
import { readJsonObject } from "../../durable/api/body";
import { isoTime } from "../../durable/api/event-json";
import { parseIsoTime } from "../../durable/api/iso-time";
import { badParameter, readQuery } from "../../durable/api/params";
import { ApiError, AuthRequired } from "../../durable/errors";
import { registry } from "../../durable/registry/registry-object";
import type { Scope, TokenInfo } from "../../durable/registry/tokens";
import type { Env } from "../env";
import { settings } from "../settings";
import { LOCKED, type Caller } from "./caller";

const FIELDS = ["name", "repos", "scopes", "expiresAt"];
const SCOPES: readonly Scope[] = ["read", "write", "admin"];
const MAX_PATTERNS = 100;

/** The repository patterns `caller` manages tokens for ("*": all), or a thrown 401/403. */
function managedPatterns(caller: Caller, write: boolean, env: Env): string[] {
  const auth = settings(env).auth;
  if (write && auth.mode === "token" && auth.adminToken === null) throw new ApiError(403, LOCKED);
  if (caller.kind === "open" || caller.kind === "admin") return ["*"];
  if (caller.kind === "anonymous") throw new AuthRequired("authentication required: managing tokens needs the admin token or a token with the admin scope");
  if (!caller.token.scopes.includes("admin")) throw new ApiError(403, "this token cannot manage tokens: it needs the admin scope");
  return caller.token.repos;
}

function manages(patterns: string[], token: TokenInfo): boolean {
  return token.repos.every((p) => coversPattern(patterns, p));
}

export function tokenJson(t: TokenInfo): Record<string, unknown> {
  return { id: t.id, name: t.name, repos: t.repos, scopes: t.scopes, createdAt: isoTime(t.createdAt), expiresAt: t.expiresAt === null ? null : isoTime(t.expiresAt), lastUsedAt: t.lastUsedAt === null ? null : isoTime(t.lastUsedAt) };
}

export async function postToken(request: Request, env: Env, caller: Caller): Promise<Response> {
  const patterns = managedPatterns(caller, true, env);
  const body = await readJsonObject(request, settings(env).limits.apiBodyBytes);
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badParameter(key, `unknown field; the body has ${FIELDS.join(", ")}`);
  const { name, repos, scopes, expiresAt } = body;
  if (typeof name !== "string" || name.trim() === "" || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) throw badParameter("name", "1-100 printable characters are required");
  if (!Array.isArray(repos) || repos.length === 0 || repos.length > MAX_PATTERNS) throw badParameter("repos", `an array of 1-${MAX_PATTERNS} patterns like "alice/*" or "bob/site" is required`);
  for (const p of repos) {
    const problem = typeof p === "string" ? checkRepoPattern(p) : "patterns are strings";
    if (problem) throw badParameter("repos", problem);
    if (!coversPattern(patterns, p as string)) throw new ApiError(403, `this token cannot mint tokens for ${p}`, { covers: patterns });
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s as Scope))) throw badParameter("scopes", `a non-empty array of ${SCOPES.join(", ")} is required`);
  let expires: number | null = null;
  if (expiresAt !== undefined && expiresAt !== null) {
    expires = typeof expiresAt === "string" ? parseIsoTime(expiresAt) : null;
    if (expires === null) throw badParameter("expiresAt", "an ISO-8601 time like 2027-01-01T00:00:00Z is required");
    if (expires <= Date.now()) throw badParameter("expiresAt", "must be in the future");
  }
  const minted = await registry(env).mintToken({
    name,
    repos: [...new Set(repos as string[])],
    scopes: [...new Set(scopes as Scope[])],
    expiresAt: expires,
    createdBy: caller.kind === "token" ? caller.token.id : "admin",
  });
  return Response.json({ ...tokenJson(minted), token: minted.token }, { status: 201 });
}

export async function getTokens(request: Request, env: Env, caller: Caller): Promise<Response> {
  readQuery(new URL(request.url), []);
  const patterns = managedPatterns(caller, false, env);
  const tokens = (await registry(env).listTokens()).filter((t) => manages(patterns, t));
  return Response.json({ tokens: tokens.map(tokenJson) });
}

export async function deleteToken(id: string, env: Env, caller: Caller): Promise<Response> {
  const patterns = managedPatterns(caller, true, env);
  const token = await registry(env).findToken(id);
  if (!token || !manages(patterns, token)) throw new ApiError(404, "token not found", { id });
  await registry(env).revokeToken(id);
  return new Response(null, { status: 204 });
}
