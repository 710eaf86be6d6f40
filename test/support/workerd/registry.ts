// A fresh registry Durable Object to work in, for tests of the tables it owns.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../../worker/env";

/** Runs `fn` with the SQLite of a new registry object (not the one the Worker uses). */
export function inRegistry<T>(fn: (sql: SqlStorage) => T | Promise<T>): Promise<T> {
  const ns = (env as unknown as Env).REGISTRY;
  return runInDurableObject(ns.get(ns.idFromName(crypto.randomUUID())), (_instance, state) => fn(state.storage.sql));
}
