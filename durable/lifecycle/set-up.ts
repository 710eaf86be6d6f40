// A repository created by POST /api/repos rather than by its first push: its name, visibility,
// description (one settings event, with the creator as actor) and default branch, before any ref.
import type { Principal } from "../access/principal";
import { changeSettings, type Visibility } from "../access/repo-settings";
import { metaSet } from "../store/meta";
import type { Repository } from "../repository";

export interface RepoSpec {
  visibility: Visibility;
  description: string;
  /** A branch name, without refs/heads/. */
  defaultBranch: string;
}

/** Creates the repository as `spec` says; false (changing nothing) when it was created before. */
export function setUp(repo: Repository, name: string, spec: RepoSpec, by: Principal): boolean {
  if (repo.created()) return false;
  repo.transaction(() => {
    repo.create(name);
    metaSet(repo.sql, "HEAD", `refs/heads/${spec.defaultBranch}`);
    changeSettings(repo.sql, { visibility: spec.visibility, description: spec.description }, by);
  });
  return true;
}
