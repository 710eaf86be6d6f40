import { describe, expect, it } from "vitest";
import { checkRefName } from "../../../durable/protocol/refname";

describe("checkRefName", () => {
  it("accepts ordinary full ref names", () => {
    for (const name of ["refs/heads/main", "refs/tags/v1.0", "refs/heads/feature/x-y_z", "refs/x", "refs/heads/caf\u00e9", "refs/heads/a.b", "refs/heads/a@b", "refs/heads/lock", "refs/heads/x.locked"]) {
      expect(checkRefName(name), name).toBeNull();
    }
  });

  const rejected: [string, string][] = [
    // must be a full name under refs/ with something after it
    ["HEAD", "must start with refs/"],
    ["heads/main", "must start with refs/"],
    ["ref/heads/main", "must start with refs/"],
    ["refs", "must start with refs/"],
    ["refs/", "nothing after refs/"],
    ["@", "'@' is not a ref"],
    // a component may not begin with "." or end with ".lock"
    ["refs/heads/.hidden", "starts with '.'"],
    ["refs/.heads/main", "starts with '.'"],
    ["refs/heads/main.lock", "ends with '.lock'"],
    ["refs/heads/main.lock/x", "ends with '.lock'"],
    // no ".." anywhere
    ["refs/heads/a..b", "contains '..'"],
    ["refs/heads/a/../b", "contains '..'"],
    // no control characters
    ["refs/heads/a\u0000b", "control character"],
    ["refs/heads/a\tb", "control character"],
    ["refs/heads/a\nb", "control character"],
    ["refs/heads/a\u001fb", "control character"],
    ["refs/heads/a\u007fb", "control character"],
    // no space ~ ^ : ? * [ \
    ["refs/heads/a b", "contains ' '"],
    ["refs/heads/a~1", "contains '~'"],
    ["refs/heads/a^", "contains '^'"],
    ["refs/heads/a:b", "contains ':'"],
    ["refs/heads/a?", "contains '?'"],
    ["refs/heads/a*", "contains '*'"],
    ["refs/heads/a[b", "contains '['"],
    ["refs/heads/a\\b", "contains '\\'"],
    // may not end with "/" or "."
    ["refs/heads/main/", "ends with '/'"],
    ["refs/heads/main.", "ends with '.'"],
    // no "//" (empty components)
    ["refs//heads", "empty path component"],
    ["refs/heads//main", "empty path component"],
    // no "@{"
    ["refs/heads/a@{1}", "contains '@{'"],
    ["refs/heads/@{", "contains '@{'"],
  ];

  for (const [name, reason] of rejected) {
    it(`rejects ${JSON.stringify(name)}: ${reason}`, () => {
      const got = checkRefName(name);
      expect(got).toMatch(/^funny refname: /);
      expect(got).toContain(reason);
    });
  }
});
