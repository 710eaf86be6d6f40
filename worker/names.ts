// Repository name rules: owner and repo are [A-Za-z0-9._-], 1-100 characters, not starting with ".".
// A trailing ".git" on the repo is accepted and dropped.

/** One owner or repository name. */
export const NAME = /^(?!\.)[A-Za-z0-9._-]{1,100}$/;

/** "owner/repo" for valid names, or null. */
export function repoId(owner: string, repo: string): string | null {
  const name = repo.endsWith(".git") ? repo.slice(0, -4) : repo;
  return NAME.test(owner) && NAME.test(name) ? `${owner}/${name}` : null;
}
