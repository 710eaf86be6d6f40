// The access check every request to a repository passes before anything else runs: what the route
// needs (read, write or admin) against what the principal may do and the repository's visibility.
// Refusals change nothing. A private repository and a missing one get the same answer, so that its
// existence does not leak: 404 to a token without access, and for git, 401 to a request without
// credentials, so that git asks its credential helper and retries (a clone of a private repository
// with a stored token works).
import { ApiError, AuthRequired } from "../errors";
import { atLeast, type Level, type Principal } from "./principal";
import type { Visibility } from "./repo-settings";

export interface GateInput {
  principal: Principal;
  /** owner/name, for messages. */
  name: string;
  exists: boolean;
  visibility: Visibility;
  needed: Exclude<Level, "none">;
  /** git's routes answer 401 to a read without credentials; the API answers 404. */
  git: boolean;
}

const VERB: Record<GateInput["needed"], string> = { read: "read", write: "write to", admin: "administer" };

/** Throws the refusal for this request, or returns when it may go on. */
export function checkAccess({ principal, name, exists, visibility, needed, git }: GateInput): void {
  const readable = atLeast(principal.access, "read") || (exists && visibility === "public");
  if (needed === "read") {
    if (readable) return;
    if (!principal.presented && git) throw authRequired(name, needed);
    throw new ApiError(404, "repository not found");
  }
  if (principal.writesLocked) throw new ApiError(403, principal.writesLocked);
  if (atLeast(principal.access, needed)) return;
  if (!principal.presented) throw authRequired(name, needed);
  if (!readable) throw new ApiError(404, "repository not found");
  throw new ApiError(403, `this token cannot ${VERB[needed]} ${name}`, { needed });
}

function authRequired(name: string, needed: string): AuthRequired {
  return new AuthRequired(`authentication required: ${name} needs a token with ${needed} access (give it as the password, or as a Bearer token)`);
}
