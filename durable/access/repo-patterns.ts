// Repository patterns of tokens: "owner/name" (one repository), "owner/*" (all of an owner's) or "*"
// (every repository). A pattern's parts follow the repository name rules.
import { NAME } from "../../worker/names";

/** Null when `pattern` is valid, else what is wrong with it. */
export function checkRepoPattern(pattern: string): string | null {
  if (pattern === "*") return null;
  const [owner, name, extra] = pattern.split("/");
  if (extra !== undefined || owner === undefined || name === undefined) return `${JSON.stringify(pattern)} is not owner/name, owner/* or *`;
  if (!NAME.test(owner)) return `${JSON.stringify(owner)} is not a valid owner name`;
  if (name !== "*" && !NAME.test(name)) return `${JSON.stringify(name)} is not a valid repository name`;
  return null;
}

function coversOne(pattern: string, repo: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("/*")) return repo.startsWith(pattern.slice(0, -1));
  return pattern === repo;
}

/** Whether any of `patterns` covers repository `repo` ("owner/name"). */
export function coversRepo(patterns: readonly string[], repo: string): boolean {
  return patterns.some((p) => coversOne(p, repo));
}

/** Whether every repository `pattern` covers is covered by one of `patterns`. */
export function coversPattern(patterns: readonly string[], pattern: string): boolean {
  return patterns.some((p) => p === "*" || p === pattern || (p.endsWith("/*") && !pattern.startsWith("*") && coversOne(p, pattern)));
}
