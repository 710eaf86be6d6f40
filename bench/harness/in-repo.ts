// Shared helpers for tests that run inside workerd: a fresh repository Durable Object to work in.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { RepoObject } from "../../durable/repo-object";
import type { Repository } from "../../durable/repository";
import type { Env } from "../../worker/env";

export const testEnv = env as unknown as Env;

/** Runs `fn` inside repository object `name` (a new one by default), with the object's own Repository. */
export async function inRepo<T>(fn: (repo: Repository, state: DurableObjectState) => T | Promise<T>, name = crypto.randomUUID()): Promise<T> {
  const stub = testEnv.REPO.get(testEnv.REPO.idFromName(name));
  return runInDurableObject(stub, async (instance: RepoObject, state) => fn((instance as unknown as { repo: Repository }).repo, state));
}
