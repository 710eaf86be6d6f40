// The repository Durable Object: applies migrations at start-up and routes the Worker's requests
// (git smart-HTTP services and the repository's API) to the code that serves them.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../migrations/migrations.js";
import type { Env } from "../worker/env";
import { handleApi } from "./api";
import { Repository } from "./repository";
import { advertise, type Service } from "./service/advertise";
import { receivePack } from "./service/receive-pack";
import { uploadPack } from "./service/upload-pack";

/** Headers the Worker sets on requests it forwards. */
export const REPO_HEADER = "X-Repo-Name";
export const ACTOR_HEADER = "X-Actor";

export class RepoObject extends DurableObject<Env> {
  private repo!: Repository;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      await migrate(drizzle(ctx.storage), migrations);
      this.repo = new Repository(ctx, env);
      this.repo.recover();
    });
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const version = /version=2/.test(request.headers.get("Git-Protocol") ?? "") ? 2 : 0;
    const name = request.headers.get(REPO_HEADER) ?? "";
    if (path.endsWith("/info/refs")) {
      const service = url.searchParams.get("service") as Service;
      if (service === "git-upload-pack" && !this.repo.exists()) return notFound();
      return advertise(this.repo, service, version);
    }
    if (path.endsWith("/git-upload-pack")) {
      if (!this.repo.exists()) return notFound();
      return uploadPack(this.repo, request.body ?? emptyStream(), version);
    }
    if (path.endsWith("/git-receive-pack")) {
      return receivePack(this.repo, request.body ?? emptyStream(), { actor: request.headers.get(ACTOR_HEADER) ?? "anonymous", repoName: name });
    }
    if (path.startsWith("/api/")) return handleApi(this.repo, request, request.headers.get(ACTOR_HEADER) ?? "anonymous");
    return Response.json({ error: "not found" }, { status: 404 });
  }
}

function notFound(): Response {
  return new Response("repository not found\n", { status: 404, headers: { "Content-Type": "text/plain" } });
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new Response(new Uint8Array(0)).body!;
}
