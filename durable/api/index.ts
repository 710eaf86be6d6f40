// The repository's JSON API (placeholder until the ref audit API lands).
import type { Repository } from "../repository";

export async function handleApi(repo: Repository, _request: Request, _actor: string): Promise<Response> {
  if (!repo.exists()) return Response.json({ error: "repository not found" }, { status: 404 });
  return Response.json({ error: "not found" }, { status: 404 });
}
