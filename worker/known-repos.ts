// Whether a repository exists, asked of the registry before a read is sent to the repository's
// Durable Object: reaching an object creates its database, so a read of an unknown name (a typo, a
// scan of names) must stop here. Repositories are never deleted, so each isolate remembers the ones
// it has seen; an unknown name costs one registry read each time, a known one none after the first.
import { AuthRequired, ApiError } from "../durable/errors";
import { registry } from "../durable/registry/registry-object";
import type { Caller } from "./auth/caller";
import type { Env } from "./env";
import { settings } from "./settings";

const MAX_REMEMBERED = 10_000;
const known = new Set<string>();

export async function repoExists(env: Env, name: string): Promise<boolean> {
  if (known.has(name)) return true;
  if (!(await registry(env).exists(name))) return false;
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.add(name);
  return true;
}

/**
 * What an unknown repository answers: the same as a private one the caller cannot read (gate.ts),
 * so that neither leaks. Without credentials in token mode, git and every write get 401.
 */
export function unknownRepo(env: Env, caller: Caller, git: boolean, write: boolean): Error {
  if (settings(env).auth.mode === "token" && caller.kind === "anonymous" && (git || write)) return new AuthRequired("authentication required: give a token as the password, or as a Bearer token");
  return new ApiError(404, "repository not found");
}
