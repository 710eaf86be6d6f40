// GET and PATCH /api/repos/{owner}/{repo}: the repository's name, description, default branch and
// access settings (visibility, protection rules). A PATCH of settings appends one event to the
// settings log (settings-log) with the caller as actor, or nothing when no setting changes; a new
// default branch must be an existing branch, as on GitHub.
import type { ProtectionRule } from "../access/protection";
import { changeSettings, currentSettings, type RepoSettings } from "../access/repo-settings";
import { checkRefName } from "../protocol/refname";
import type { Repository } from "../repository";
import { forkingFrom } from "../lifecycle/fork";
import { mirrorOf } from "../lifecycle/import-state";
import { metaSet } from "../store/meta";
import { readJsonObject } from "./body";
import type { ApiContext } from "./context";
import { badParameter, readQuery } from "./params";
import { settingsEventJson } from "./settings-log";

const FIELDS = ["visibility", "protection", "description", "defaultBranch"];
/** GitHub's limit on a repository's description. */
const MAX_DESCRIPTION = 350;
const RULE_FIELDS = ["pattern", "forcePush", "deletion"];
const MAX_RULES = 100;

export function getRepo({ repo, url }: ApiContext): Response {
  readQuery(url, []);
  return Response.json(repoJson(repo));
}

export async function patchRepo({ repo, request, principal }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request, repo.settings.limits.apiBodyBytes);
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badParameter(key, `unknown field; the body has ${FIELDS.join(", ")}`);
  const change: Partial<RepoSettings> = {};
  if (body.visibility !== undefined) {
    if (body.visibility !== "public" && body.visibility !== "private") throw badParameter("visibility", `must be "public" or "private", got ${JSON.stringify(body.visibility)}`);
    change.visibility = body.visibility;
  }
  if (body.protection !== undefined) change.protection = parseRules(body.protection);
  if (body.description !== undefined) change.description = parseDescription(body.description);
  const head = body.defaultBranch === undefined ? null : `refs/heads/${String(body.defaultBranch)}`;
  if (head !== null && (typeof body.defaultBranch !== "string" || !repo.refs.get(head))) throw badParameter("defaultBranch", `no branch ${JSON.stringify(body.defaultBranch)}: push it first`);
  const event = repo.transaction(() => {
    if (head !== null) metaSet(repo.sql, "HEAD", head);
    return changeSettings(repo.sql, change, principal);
  });
  return Response.json({ ...repoJson(repo), event: event && settingsEventJson(event) });
}

function repoJson(repo: Repository): Record<string, unknown> {
  const { visibility, protection, description } = currentSettings(repo.sql);
  const forking = forkingFrom(repo);
  return { name: repo.name(), description, defaultBranch: repo.refs.head().replace(/^refs\/heads\//, ""), visibility, protection, state: forking ? "forking" : "ready", ...(forking ? { forkingFrom: forking } : {}), mirrorUrl: mirrorOf(repo) };
}

/** One line of at most MAX_DESCRIPTION printable characters. */
export function parseDescription(value: unknown): string {
  if (typeof value !== "string" || value.length > MAX_DESCRIPTION || /[\u0000-\u001f\u007f]/.test(value)) throw badParameter("description", `at most ${MAX_DESCRIPTION} printable characters on one line`);
  return value;
}

/** [{"pattern", "forcePush"?, "deletion"?}]: both default to false (refused), as a protected branch does on GitHub. */
function parseRules(value: unknown): ProtectionRule[] {
  if (!Array.isArray(value)) throw badParameter("protection", "must be an array of rules like {\"pattern\": \"refs/heads/main\", \"forcePush\": false, \"deletion\": false}");
  if (value.length > MAX_RULES) throw badParameter("protection", `at most ${MAX_RULES} rules`);
  return value.map((rule, i): ProtectionRule => {
    const at = `protection[${i}]`;
    if (typeof rule !== "object" || rule === null || Array.isArray(rule)) throw badParameter(at, "must be an object");
    for (const key of Object.keys(rule)) if (!RULE_FIELDS.includes(key)) throw badParameter(`${at}.${key}`, `unknown field; a rule has ${RULE_FIELDS.join(", ")}`);
    const { pattern, forcePush = false, deletion = false } = rule as Record<string, unknown>;
    if (typeof pattern !== "string") throw badParameter(`${at}.pattern`, "a ref name or a prefix ending in * is required");
    const problem = checkRefName(pattern.endsWith("*") ? `${pattern.slice(0, -1)}x` : pattern);
    if (problem) throw badParameter(`${at}.pattern`, problem);
    if (typeof forcePush !== "boolean") throw badParameter(`${at}.forcePush`, "must be true or false");
    if (typeof deletion !== "boolean") throw badParameter(`${at}.deletion`, "must be true or false");
    return { pattern, forcePush, deletion };
  });
}
