// How the web UI reads a repository: the same JSON API the Durable Object serves to clients, asked
// with the caller's own principal, so a page shows exactly what its viewer's token may read. The
// viewer's token comes from the sign-in cookie (HttpOnly, Secure, SameSite=Strict) when the request
// carries no Authorization header.
import { encodePrincipal, PRINCIPAL_HEADER } from "../../durable/access/principal";
import { ApiError } from "../../durable/errors";
import { REPO_HEADER } from "../../durable/repo-object";
import { REQUEST_ID_HEADER } from "../../durable/observe/request-id";
import { identify, principalFor, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { repoExists } from "../known-repos";
import { repoId } from "../names";
import { settings } from "../settings";

export const SESSION_COOKIE = "gow_session";

/** The value of cookie `name`, or null. */
export function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** The caller of a page: from its Authorization header, else from the session cookie. */
export async function viewer(request: Request, env: Env): Promise<{ caller: Caller; signedIn: boolean }> {
  const token = request.headers.get("Authorization") ? null : cookie(request, SESSION_COOKIE);
  if (token === null) return { caller: await identify(request, env), signedIn: false };
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return { caller: await identify(new Request(request.url, { headers }), env), signedIn: true };
}

export interface RepoApi {
  /** owner/name. */
  id: string;
  /** GET of a route of the repository's API (the part after /api/repos/{owner}/{repo}/), its JSON or its refusal thrown. */
  get<T = any>(path: string): Promise<T>;
  /** The same GET's response as it is (raw bytes), with `headers` passed on (Range, If-None-Match). */
  fetch(path: string, headers: Headers): Promise<Response>;
}

export async function repoApi(env: Env, caller: Caller, owner: string, repo: string, requestId: string): Promise<RepoApi> {
  const id = repoId(owner, repo);
  if (!id || !(await repoExists(env, id))) throw new ApiError(404, "repository not found");
  const principal = principalFor(caller, id, settings(env).auth);
  const stub = env.REPO.get(env.REPO.idFromName(id));
  const fetch = (path: string, headers = new Headers()) => {
    headers.set(REPO_HEADER, id);
    headers.set(PRINCIPAL_HEADER, encodePrincipal(principal));
    headers.set(REQUEST_ID_HEADER, requestId);
    return stub.fetch(new Request(`https://ui/api/repos/${id}/${path}`, { headers, redirect: "manual" }));
  };
  return {
    id,
    fetch,
    async get(path) {
      const res = await fetch(path);
      const body = (await res.json()) as any;
      if (res.status !== 200) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`, body.detail);
      return body;
    },
  };
}
