// Ref patterns, as settings and rules name them: exact names, or prefixes ending in "*" (refs/tags/*).

export function matchesAny(ref: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? ref.startsWith(p.slice(0, -1)) : ref === p));
}
