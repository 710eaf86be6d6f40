// Ref update policy: which refs refuse non-fast-forward updates (the DENY_NON_FAST_FORWARD setting).

/** Parses "refs/heads/main,refs/tags/*": exact names, or prefixes ending in "*". */
export function parseRefPatterns(setting: string | undefined): string[] {
  return (setting ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

export function matchesAny(ref: string, patterns: string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? ref.startsWith(p.slice(0, -1)) : ref === p));
}
