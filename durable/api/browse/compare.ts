// GET compare/{base}...{head}: how two revisions relate, as `git rev-list --left-right --count
// base...head` counts it (behind: commits only base has; ahead: only head has), the commits head has
// that base lacks (newest first, at most 250, as GitHub lists), their merge base, and the files that
// differ between the merge base and head (what a pull request shows): their status, paths and ids,
// and with patch=1 (as the web UI asks) also each one's patch and line counts. Patches are not in
// the default answer, unlike GitHub's: diffing hundreds of files costs far more than the rest, and
// the commits route has any one commit's.
import { loggedCommits } from "../../browse/commit-node";
import { diffTrees, fileChanges } from "../../browse/diff";
import { symmetricDifference } from "../../browse/symmetric-difference";
import { ApiError } from "../../errors";
import type { ApiContext } from "../context";
import { badParameter, readQuery } from "../params";
import { commitJson } from "./commit-json";
import { cacheHeaders, json, notModified, refView, revisionOf } from "./view";

const MAX_COMMITS = 250;

export async function getCompare({ repo, request, url, params }: ApiContext): Promise<Response> {
  const query = readQuery(url, ["at", "patch"]);
  const spec = params.spec!;
  const dots = spec.indexOf("...");
  if (dots <= 0 || dots + 3 >= spec.length) throw badParameter("spec", `expected base...head (like main...feature), got ${JSON.stringify(spec)}`);
  const patch = query.get("patch");
  if (patch !== undefined && !["0", "1", "true", "false"].includes(patch)) throw badParameter("patch", `expected 1 or 0, got ${JSON.stringify(patch)}`);
  const view = refView(repo, query.get("at"));
  const base = await revisionOf(repo, view, spec.slice(0, dots));
  const head = await revisionOf(repo, view, spec.slice(dots + 3));
  const withPatches = patch === "1" || patch === "true";
  const byIds = spec === `${base.commit}...${head.commit}`;
  const headers = cacheHeaders(repo, `${base.commit}...${head.commit}${withPatches ? "+patch" : ""}`, byIds);
  const cached = notModified(request, headers);
  if (cached) return cached;
  const { behind, ahead, mergeBase, nodes } = await symmetricDifference(repo.store, repo.graph, base.commit, head.commit);
  const headNode = nodes.get(head.commit);
  if (!headNode) throw new ApiError(404, `no commit '${spec.slice(dots + 3)}'`);
  const baseTree = mergeBase === null ? null : nodes.get(mergeBase)!.tree;
  const { files, truncated } = await (withPatches ? diffTrees : fileChanges)(repo.store, baseTree, headNode.tree);
  const listed = await loggedCommits(repo.store, ahead.slice(0, MAX_COMMITS).map((oid) => nodes.get(oid)!));
  const commits = listed.map((c) => commitJson(c.oid, c.info));
  return json(
    {
      base: base.commit,
      head: head.commit,
      mergeBase,
      status: ahead.length === 0 && behind.length === 0 ? "identical" : ahead.length === 0 ? "behind" : behind.length === 0 ? "ahead" : "diverged",
      aheadBy: ahead.length,
      behindBy: behind.length,
      commits,
      commitsTruncated: ahead.length > MAX_COMMITS,
      files,
      truncated,
    },
    headers,
  );
}
