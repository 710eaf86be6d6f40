// Validity of the full ref names a push may create or update, following git-check-ref-format's rules
// (gitprotocol-pack.adoc, "Reference Update Request"; git-check-ref-format(1)).

const FORBIDDEN = new Set([" ", "~", "^", ":", "?", "*", "[", "\\"]);

/** Null when `name` is a valid full ref name under refs/, else a short reason for an "ng" line. */
export function checkRefName(name: string): string | null {
  if (name === "@") return "funny refname: '@' is not a ref";
  if (!name.startsWith("refs/")) return "funny refname: must start with refs/";
  if (name.length === "refs/".length) return "funny refname: nothing after refs/";
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return "funny refname: contains a control character";
    if (FORBIDDEN.has(ch)) return `funny refname: contains '${ch}'`;
  }
  if (name.includes("..")) return "funny refname: contains '..'";
  if (name.includes("@{")) return "funny refname: contains '@{'";
  if (name.endsWith("/")) return "funny refname: ends with '/'";
  if (name.endsWith(".")) return "funny refname: ends with '.'";
  for (const component of name.split("/")) {
    if (component === "") return "funny refname: empty path component";
    if (component.startsWith(".")) return "funny refname: a component starts with '.'";
    if (component.endsWith(".lock")) return "funny refname: a component ends with '.lock'";
  }
  return null;
}
