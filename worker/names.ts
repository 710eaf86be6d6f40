// Repository name rules: owner and repo are [A-Za-z0-9._-], 1-100 characters, not starting with ".".
// A trailing ".git" on the repo is accepted and dropped; a name that still ends in ".git" after that
// (x.git.git) is refused, so that one repository never has two spellings. Names are case-sensitive,
// as paths are for git http-backend: Alice/demo and alice/demo are two repositories.

/** One owner or repository name. */
export const NAME = /^(?!\.)[A-Za-z0-9._-]{1,100}$/;

/** "owner/repo" for valid names, or null. */
export function repoId(owner: string, repo: string): string | null {
  const name = repo.endsWith(".git") ? repo.slice(0, -4) : repo;
  return NAME.test(owner) && NAME.test(name) && !name.endsWith(".git") ? `${owner}/${name}` : null;
}
