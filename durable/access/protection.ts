// Protection rules of a repository: ref patterns where force-pushes, deletions or both are refused,
// checked for every push and every restore. Patterns are exact ref names or prefixes ending in "*".
import { matchesAny } from "../refs/policy";

export interface ProtectionRule {
  pattern: string;
  /** Whether non-fast-forward updates are allowed. */
  forcePush: boolean;
  /** Whether the ref may be deleted. */
  deletion: boolean;
}

export type ProtectedChange = "force" | "delete";

/** The refusal for changing `ref` this way, or null when no rule forbids it. */
export function protectionRefusal(rules: readonly ProtectionRule[], ref: string, change: ProtectedChange): string | null {
  for (const rule of rules) {
    if (!matchesAny(ref, [rule.pattern])) continue;
    if (change === "force" && !rule.forcePush) return "protected: force-push is not allowed";
    if (change === "delete" && !rule.deletion) return "protected: deletion is not allowed";
  }
  return null;
}
