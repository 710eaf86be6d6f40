// Shared helpers for tests that run inside workerd: a fresh repository Durable Object to work in.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { RepoObject } from "../../durable/repo";
import { Repository } from "../../durable/repository";
import type { Env } from "../../worker/env";

export const testEnv = env as unknown as Env;

/** Runs `fn` inside a new repository object, with the Repository over its storage. */
export async function inRepo<T>(fn: (repo: Repository, state: DurableObjectState) => T | Promise<T>, name = crypto.randomUUID()): Promise<T> {
  const stub = testEnv.REPO.get(testEnv.REPO.idFromName(name));
  return runInDurableObject(stub, async (_instance: RepoObject, state) => fn(new Repository(state, testEnv), state));
}
