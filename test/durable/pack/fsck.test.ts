import { describe, expect, it } from "vitest";
import { checkCommit, checkGitmodules, checkTag, checkTree, isStructural, type FsckProblem } from "../../../durable/pack/fsck";
import { hexToBytes } from "../../../durable/pack/hex";

/** Bytes of a string whose char codes are bytes (so "\xff" is the byte 0xff, not UTF-8). */
const raw = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const OID = "5d3925f36641f24f7990d2df365d80a79c57bba9";
const entry = (mode: string, name: string | Uint8Array, oid = OID) =>
  concat(raw(`${mode} `), typeof name === "string" ? raw(name) : name, Uint8Array.of(0), hexToBytes(oid));
const tree = (...entries: Uint8Array[]) => concat(...entries);

const ids = (problems: FsckProblem[]) => problems.map((p) => p.id);
const pairs = (problems: FsckProblem[]) => problems.map((p) => `${p.id}:${p.severity}`);
/** What the server refuses however it is configured: an error, or a structural problem. */
const refused = (problems: FsckProblem[]) => problems.some((p) => p.severity === "error" || isStructural(p.id));

const WHO = "A U Thor <a@example.com> 1700000000 +0100";
const commit = (headers: string, body = "\nmsg\n") => raw(headers + body);
const withAuthor = (who: string) => commit(`tree ${OID}\nauthor ${who}\ncommitter ${WHO}\n`);
const tag = (name: string, rest = `tagger ${WHO}\n`) => raw(`object ${OID}\ntype commit\ntag ${name}\n${rest}\nmsg\n`);
const gitmodules = (body: string) => checkGitmodules(raw(body));
const submodule = (lines: string) => gitmodules(`[submodule "lib"]\n${lines}`);

// Objects as git 2.39 wrote them (git cat-file in a scratch repository).
const GIT_COMMIT = "tree 2d366730a0a629eee007ae8186770da4224e0cf4\nauthor A U Thor <a@example.com> 1700000000 +0100\ncommitter A U Thor <a@example.com> 1700000000 +0100\n\nfirst\n";
const GIT_CHILD =
  "tree 7abdb8560bb3725801eaa3efd0015e60a4761b53\nparent 5d3925f36641f24f7990d2df365d80a79c57bba9\nauthor A U Thor <a@example.com> 1700000200 -0230\ncommitter A U Thor <a@example.com> 1796284996 +0000\n\nsecond\n";
const GIT_TAG = "object 5d3925f36641f24f7990d2df365d80a79c57bba9\ntype commit\ntag v1\ntagger A U Thor <a@example.com> 1796284839 +0000\n\nrelease\n";
/** .gitmodules, a.txt, dir/, a gitlink lib and a symlink link. */
const GIT_TREE =
  "313030363434202e6769746d6f64756c65730065be5e897d4f1692b78e03cd475b03417f48aa0431303036343420612e7478740045b983be36b73c0788dc9cbcb76cbb80fc7bb05734303030302064697200" +
  "2b4c1d0c6f3c005f72eb2ecd2eb2a25edecf9a50313630303030206c6962001111111111111111111111111111111111111111313230303030206c696e6b008d14cbf983b3fad683171c9418998d9f68340823";
const GIT_GITMODULES = '[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n';

describe("objects git writes pass", () => {
  it("commits, with and without parents", () => {
    expect(checkCommit(raw(GIT_COMMIT))).toEqual([]);
    expect(checkCommit(raw(GIT_CHILD))).toEqual([]);
  });

  it("a signed merge commit: later headers and continuation lines are not checked", () => {
    const signed = `tree ${OID}\nparent ${OID}\nparent ${OID}\nauthor ${WHO}\ncommitter ${WHO}\nencoding ISO-8859-1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n`;
    expect(checkCommit(commit(signed))).toEqual([]);
    expect(checkCommit(commit(`tree ${OID}\nauthor ${WHO}\ncommitter ${WHO}\n`, ""))).toEqual([]);
  });

  it("an annotated tag", () => {
    expect(checkTag(raw(GIT_TAG))).toEqual([]);
  });

  it("a tree with a blob, a directory, a gitlink, a symlink and .gitmodules", () => {
    expect(checkTree(hexToBytes(GIT_TREE))).toEqual({ problems: [], gitmodules: ["65be5e897d4f1692b78e03cd475b03417f48aa04"], gitmodulesSymlink: false });
    expect(checkTree(new Uint8Array())).toEqual({ problems: [], gitmodules: [], gitmodulesSymlink: false });
  });

  it("every mode git writes, and the old 100664", () => {
    const modes = tree(entry("100644", "a"), entry("100755", "b"), entry("120000", "c"), entry("160000", "d"), entry("40000", "e"), entry("100664", "f"));
    expect(checkTree(modes).problems).toEqual([]);
  });

  it("a .gitmodules git writes", () => {
    expect(checkGitmodules(raw(GIT_GITMODULES))).toEqual([]);
  });
});

describe("the cases the server must refuse", () => {
  it("a commit whose tree line has 39 hex digits", () => {
    const problems = checkCommit(commit(`tree ${OID.slice(1)}\nauthor ${WHO}\ncommitter ${WHO}\n`));
    expect(ids(problems)).toEqual(["badTreeSha1"]);
    expect(refused(problems) && isStructural("badTreeSha1")).toBe(true);
  });

  it("mode 999999", () => {
    const problems = checkTree(entry("999999", "a")).problems;
    expect(ids(problems)).toEqual(["badTree"]);
    expect(refused(problems)).toBe(true);
  });

  it("an empty entry name", () => {
    const problems = checkTree(entry("100644", "")).problems;
    expect(pairs(problems)).toEqual(["emptyName:warn"]);
    expect(refused(problems)).toBe(true);
  });

  it.each([".git", ".GIT"])("a tree entry named %s", (name) => {
    const problems = checkTree(entry("40000", name)).problems;
    expect(pairs(problems)).toEqual(["hasDotgit:warn"]);
    expect(refused(problems)).toBe(true);
  });

  it("a .gitmodules url -x or path -p", () => {
    expect(pairs(submodule("\turl = -x\n"))).toEqual(["gitmodulesUrl:error"]);
    expect(pairs(submodule("\tpath = -p\n"))).toEqual(["gitmodulesPath:error"]);
  });
});

describe("checkCommit", () => {
  it.each([
    ["nulInHeader", `tree ${OID}\nauthor A\0 <a@b> 1 +0000\ncommitter ${WHO}\n\n`],
    ["unterminatedHeader", `tree ${OID}\nauthor ${WHO}\ncommitter ${WHO}`],
    ["missingTree", `parent ${OID}\nauthor ${WHO}\ncommitter ${WHO}\n\n`],
    ["badTreeSha1", `tree ${OID}x\nauthor ${WHO}\ncommitter ${WHO}\n\n`],
    ["badTreeSha1", `tree ${OID.toUpperCase()}\nauthor ${WHO}\ncommitter ${WHO}\n\n`],
    ["badParentSha1", `tree ${OID}\nparent ${OID.slice(2)}\nauthor ${WHO}\ncommitter ${WHO}\n\n`],
    ["missingAuthor", `tree ${OID}\ncommitter ${WHO}\n\n`],
    ["missingCommitter", `tree ${OID}\nauthor ${WHO}\n\n`],
  ])("%s", (id, text) => {
    const problems = checkCommit(raw(text));
    expect(ids(problems)).toEqual([id]);
    expect(problems[0]!.severity).toBe("error");
    expect(isStructural(id)).toBe(true);
  });

  it("multipleAuthors", () => {
    expect(pairs(checkCommit(commit(`tree ${OID}\nauthor ${WHO}\nauthor ${WHO}\ncommitter ${WHO}\n`)))).toEqual(["multipleAuthors:error"]);
  });

  it("nulInCommit (warn): a NUL in the message", () => {
    expect(pairs(checkCommit(commit(`tree ${OID}\nauthor ${WHO}\ncommitter ${WHO}\n`, "\nm\0sg")))).toEqual(["nulInCommit:warn"]);
  });

  it.each([
    ["missingNameBeforeEmail", "<a@b> 1 +0000"],
    ["missingEmail", "A a@b 1 +0000"],
    ["badName", "A> <a@b> 1 +0000"],
    ["missingSpaceBeforeEmail", "A<a@b> 1 +0000"],
    ["badEmail", "A <a@b 1 +0000"],
    ["badEmail", "A <a<b> 1 +0000"],
    ["missingSpaceBeforeDate", "A <a@b>1 +0000"],
    ["missingSpaceBeforeDate", "A <a@b>"],
    ["badDate", "A <a@b> x +0000"],
    ["badDate", "A <a@b> 1"],
    ["zeroPaddedDate", "A <a@b> 01 +0000"],
    ["zeroPaddedDate", "A <a@b> 0x +0000"],
    ["badDateOverflow", "A <a@b> 9223372036854775808 +0000"],
    ["badDateOverflow", "A <a@b> 123456789012345678901234 +0000"],
    ["badTimezone", "A <a@b> 1 0000"],
    ["badTimezone", "A <a@b> 1 +000"],
    ["badTimezone", "A <a@b> 1 +00000"],
    ["badTimezone", "A <a@b> 1  +0000"],
  ])("%s: author %j", (id, who) => {
    const problems = checkCommit(withAuthor(who));
    expect(pairs(problems)).toEqual([`${id}:error`]);
    expect(isStructural(id)).toBe(false);
  });

  it.each(["A <a@b> 0 +0000", "A <a@b>  \t1 +0000", "A <a@b> 9223372036854775807 -1234", " <a@b> 1 +0000", "A  <> 1 +0000"])("accepts the ident %j, as git does", (who) => {
    expect(checkCommit(withAuthor(who))).toEqual([]);
  });

  it("checks the committer too, and goes on after a problem that can be downgraded", () => {
    const problems = checkCommit(commit(`tree ${OID}\nauthor A <a@b> 1 +000\ncommitter A <a@b 1 +0000\n`));
    expect(ids(problems)).toEqual(["badTimezone", "badEmail"]);
    expect(problems[1]!.message).toMatch(/committer/);
  });
});

describe("checkTag", () => {
  it.each([
    ["nulInHeader", `object ${OID}\ntype commit\0\ntag v1\ntagger ${WHO}\n\n`],
    ["unterminatedHeader", `object ${OID}\ntype commit\ntag v1`],
    ["missingObject", `type commit\ntag v1\ntagger ${WHO}\n\n`],
    ["badObjectSha1", `object ${OID.slice(1)}\ntype commit\ntag v1\ntagger ${WHO}\n\n`],
    ["missingTypeEntry", `object ${OID}\ntag v1\ntagger ${WHO}\n\n`],
    ["badType", `object ${OID}\ntype cmomit\ntag v1\ntagger ${WHO}\n\n`],
    ["missingTagEntry", `object ${OID}\ntype commit\ntagger ${WHO}\n\n`],
    ["missingTagEntry", `object ${OID}\ntype commit\n\ntag v1\n`],
  ])("%s", (id, text) => {
    const problems = checkTag(raw(text));
    expect(pairs(problems)).toEqual([`${id}:error`]);
    expect(isStructural(id)).toBe(true);
  });

  it("missingTaggerEntry (INFO in git): early tags had no tagger", () => {
    expect(pairs(checkTag(raw(`object ${OID}\ntype commit\ntag v1\n\nmsg\n`)))).toEqual(["missingTaggerEntry:info"]);
  });

  it.each(["v..1", "v1.lock", ".v1", "v 1", "a//b", "v1.", "a@{b", "v~1", "v^1", "x:y", "x?", "x*", "x[", "a\\b", "", "v1/", "a/.b"])(
    "badTagName (INFO in git): %j",
    (name) => {
      expect(pairs(checkTag(tag(name)))).toEqual(["badTagName:info"]);
    },
  );

  it.each(["v1.0", "a/b", "ok-é", "release@2", "@"])("accepts the tag name %j", (name) => {
    expect(checkTag(tag(name))).toEqual([]);
  });

  it("checks the tagger ident", () => {
    expect(pairs(checkTag(tag("v1", "tagger A <a@b> 1 +000\n")))).toEqual(["badTimezone:error"]);
  });

  it("does not check the headers after the tagger (a signature)", () => {
    expect(checkTag(tag("v1", `tagger ${WHO}\ngpgsig x\n y\n`))).toEqual([]);
  });
});

describe("checkTree", () => {
  const problemsOf = (...entries: Uint8Array[]) => pairs(checkTree(tree(...entries)).problems);

  it.each([
    ["a mode that is not octal", entry("999999", "a")],
    ["an empty mode", entry("", "a")],
    ["a mode with no space", concat(raw("100644a\0"), hexToBytes(OID))],
    ["a truncated id", tree(entry("100644", "a"), entry("100644", "b")).subarray(0, 40)],
    ["a name with no NUL", raw("100644 abc")],
  ])("badTree: %s", (_, data) => {
    const problems = checkTree(data).problems;
    expect(ids(problems)).toContain("badTree");
    expect(isStructural("badTree")).toBe(true);
  });

  it("keeps what it found before an entry that does not parse", () => {
    expect(problemsOf(entry("100644", ".git"), raw("100644 x"))).toEqual(["badTree:error", "hasDotgit:warn"]);
  });

  it("badFilemode (INFO in git) on modes git does not write, structural here", () => {
    expect(problemsOf(entry("100600", "a"))).toEqual(["badFilemode:info"]);
    expect(problemsOf(entry("1100644", "a"))).toEqual(["badFilemode:info"]);
    expect(isStructural("badFilemode")).toBe(true);
  });

  it("zeroPaddedFilemode (warn)", () => {
    expect(problemsOf(entry("040000", "a"))).toEqual(["zeroPaddedFilemode:warn"]);
    expect(isStructural("zeroPaddedFilemode")).toBe(false);
  });

  it.each([
    ["fullPathname", "a/b"],
    ["hasDot", "."],
    ["hasDotdot", ".."],
  ])("%s (warn in git, structural here)", (id, name) => {
    expect(problemsOf(entry("100644", name))).toEqual([`${id}:warn`]);
    expect(isStructural(id)).toBe(true);
  });

  it("nullSha1 (warn)", () => {
    expect(problemsOf(entry("160000", "sub", "0".repeat(40)))).toEqual(["nullSha1:warn"]);
  });

  it("largePathname (warn) past 4096 bytes", () => {
    expect(problemsOf(entry("100644", "x".repeat(4096)))).toEqual([]);
    expect(problemsOf(entry("100644", "x".repeat(4097)))).toEqual(["largePathname:warn"]);
  });

  it("reports each problem once per tree, naming the first entry", () => {
    const problems = checkTree(tree(entry("100644", ".", "0".repeat(40)), entry("100644", "a", "0".repeat(40)))).problems;
    expect(ids(problems)).toEqual(["hasDot", "nullSha1"]);
    expect(problems[1]!.message).toMatch(/'\.'/);
  });

  describe("order", () => {
    it("treeNotSorted", () => {
      expect(problemsOf(entry("100644", "b"), entry("100644", "a"))).toEqual(["treeNotSorted:error"]);
    });

    it("directories sort as if they ended in /", () => {
      expect(problemsOf(entry("100644", "a.c"), entry("40000", "a"))).toEqual([]);
      expect(problemsOf(entry("100644", "a-"), entry("40000", "a"))).toEqual([]);
      expect(problemsOf(entry("40000", "a"), entry("100644", "a0"))).toEqual([]);
      expect(problemsOf(entry("40000", "a"), entry("100644", "a.c"))).toEqual(["treeNotSorted:error"]);
    });

    it("duplicateEntries: the same name twice, as file or directory", () => {
      expect(problemsOf(entry("100644", "a"), entry("100644", "a"))).toEqual(["duplicateEntries:error"]);
      expect(problemsOf(entry("100644", "a"), entry("40000", "a"))).toEqual(["duplicateEntries:error"]);
      expect(problemsOf(entry("40000", "a"), entry("100644", "a"))).toEqual(["duplicateEntries:error"]);
    });

    it("duplicateEntries that are not next to each other", () => {
      expect(problemsOf(entry("100644", "a"), entry("100644", "a.c"), entry("40000", "a"))).toEqual(["duplicateEntries:error"]);
      const names = tree(entry("100644", "foo"), entry("100644", "foo.bar"), entry("100644", "foo.bar.baz"), entry("40000", "foo.bar"), entry("40000", "foo"));
      expect(pairs(checkTree(names).problems)).toEqual(["duplicateEntries:error"]);
    });

    it("duplicateEntries and treeNotSorted can be downgraded", () => {
      expect(isStructural("duplicateEntries") || isStructural("treeNotSorted")).toBe(false);
    });
  });

  describe(".git and its aliases (hasDotgit)", () => {
    it.each([
      ".Git", "git~1", "GIT~1", ".git.", ".git ", ".git. . ", ".git::$INDEX_ALLOCATION", ".git\\x", "x\\.git", "x\\git~1",
      // HFS+ ignores these code points, and folds case
      "\xe2\x80\x8c.git", ".g\xe2\x80\x8cit", ".git\xe2\x80\x8d", ".gi\xef\xbb\xbft", "\xef\xbb\xbf.git",
      // HFS+ escapes what is not UTF-8 (for git: overlong forms, U+FFFE) after the name
      ".git\xff", ".git\xc0\x80", ".git\xef\xbf\xbe",
    ])("%j", (name) => {
      expect(problemsOf(entry("100644", name))).toEqual(["hasDotgit:warn"]);
    });

    it.each([".gitx", "git~2", ".git~1", "..git", ".g\xc0\x80it", ".gi\xc3\xbf", "x.git", "git"])("not %j", (name) => {
      expect(problemsOf(entry("100644", name))).toEqual([]);
    });
  });

  describe(".gitmodules", () => {
    const found = (name: string, mode = "100644") => checkTree(entry(mode, name)).gitmodules;

    it.each([
      ".gitmodules", ".GITMODULES", ".gitmodules.", ".gitmodules ", ".gitmodules:x", "x\\.gitmodules", "gitmod~1", "GITMOD~4",
      "gi7eba~1", "gi7eba~9", "gi7eb~12", "gi7eba~1 .", "~1234567", ".g\xe2\x80\x8citmodules",
    ])("%j is one", (name) => {
      expect(found(name)).toEqual([OID]);
    });

    it.each([".gitmodules\\x", "gitmod~5", "gi7eba~10", "gi7e~0123", ".gitmodulesx", "gitmodules"])("%j is not", (name) => {
      expect(found(name)).toEqual([]);
    });

    it("whatever its mode but a symlink; the caller checks that it is a blob", () => {
      expect(found(".gitmodules", "40000")).toEqual([OID]);
    });

    it("gitmodulesSymlink (error)", () => {
      const check = checkTree(entry("120000", ".gitmodules"));
      expect(check).toEqual({ problems: [expect.objectContaining({ id: "gitmodulesSymlink", severity: "error" })], gitmodules: [], gitmodulesSymlink: true });
    });

    it("lists each id once", () => {
      expect(checkTree(tree(entry("100644", ".gitmodules"), entry("100644", ".gitmodules."))).gitmodules).toEqual([OID]);
    });
  });

  it("gitattributesSymlink, gitignoreSymlink and mailmapSymlink (INFO in git)", () => {
    expect(problemsOf(entry("120000", ".gitattributes"), entry("120000", ".gitignore"), entry("120000", ".mailmap"))).toEqual([
      "gitattributesSymlink:info",
      "gitignoreSymlink:info",
      "mailmapSymlink:info",
    ]);
    expect(problemsOf(entry("120000", "gitign~1"))).toEqual(["gitignoreSymlink:info"]);
    expect(problemsOf(entry("100644", ".gitignore"))).toEqual([]);
  });
});

describe("checkGitmodules", () => {
  it.each(["../x", "a/../x", "a\\..\\x", "..", ""])("gitmodulesName: %j", (name) => {
    expect(pairs(gitmodules(`[submodule "${name.replace(/\\/g, "\\\\")}"]\n\turl = a\n`))).toEqual(["gitmodulesName:error"]);
  });

  it("accepts names that only contain dots", () => {
    expect(gitmodules(`[submodule "..x"]\n\turl = a\n[submodule "a.b"]\n\turl = b\n`)).toEqual([]);
  });

  it.each([
    "-x",
    "../../x%0ay",
    "git://h/x%0Ay",
    '"https://h/x\\ny"',
    "https://h/x%0ay",
    "../:x",
    "../../:x",
    ".././/x",
    "..\\\\:x",
    "http::https:///x",
    "https:///x",
    "https://h:0/x",
    "https://h:99999/x",
    "https://h:8a/x",
    "https://h/../x",
    "https://h/a/%2e%2e/%2e%2e/x",
    "https://h/%zz",
    "https://h!/x",
    "https://a@b@h/x",
    "ftp::x",
  ])("gitmodulesUrl: %s", (url) => {
    expect(pairs(submodule(`\turl = ${url}\n`))).toEqual(["gitmodulesUrl:error"]);
  });

  it.each(["../x", "./:x", "../a/../:x", "ssh://h/x%0a", "https://h:/x", "https://h:08080/x", "https://h/a/../x", "https://u@h/x", "https://[::1]:8080/x", "https://h?../../x", "git@h:x.git", "/srv/x.git"])(
    "accepts the url %s",
    (url) => {
      expect(submodule(`\turl = ${url}\n`)).toEqual([]);
    },
  );

  it("gitmodulesPath: a path that looks like an option", () => {
    expect(pairs(submodule("\tpath = \\\n-p\n"))).toEqual(["gitmodulesPath:error"]);
    expect(submodule("\tpath = lib/-p\n")).toEqual([]);
  });

  it("gitmodulesUpdate: update = !command", () => {
    expect(pairs(submodule("\tupdate = !rm -rf /\n"))).toEqual(["gitmodulesUpdate:error"]);
    expect(submodule("\tupdate = rebase\n")).toEqual([]);
  });

  it.each([
    ["an unterminated section", '[submodule "lib"\n\turl = -x\n'],
    ["an empty section", "[]\n"],
    ["an unterminated quote", '[submodule "lib"]\n\turl = "-x\n'],
    ["an unknown escape", '[submodule "lib"]\n\turl = \\q\n'],
    ["a key that starts with a digit", '[submodule "lib"]\n\t1url = x\n'],
    ["a key with no =", '[submodule "lib"]\n\turl x\n'],
    ["half a byte order mark", '\xef\xbb[submodule "lib"]\n'],
    ["a space before the closing bracket", '[submodule "x" ]\n\turl = a\n'],
  ])("gitmodulesParse (INFO in git): %s", (_, body) => {
    expect(pairs(gitmodules(body))).toEqual(["gitmodulesParse:info"]);
  });

  it("reports what it read before a syntax error", () => {
    expect(pairs(submodule("\turl = -x\n[bad\n"))).toEqual(["gitmodulesUrl:error", "gitmodulesParse:info"]);
  });

  it.each([
    ["a bare key", '[submodule "lib"]\n\turl\n', []],
    ["comments, and a key on the section line", '# c\n; c\n[submodule "lib"] url = -x ; c\n', ["gitmodulesUrl:error"]],
    ["quoted blanks", '[submodule "lib"]\n\turl = "  -x"\n', []],
    ["blanks trimmed around the value", '[submodule "lib"]\n\turl =   -x   # c\n', ["gitmodulesUrl:error"]],
    ["CRLF lines", '[submodule "lib"]\r\n\turl = -x\r\n', ["gitmodulesUrl:error"]],
    ["case-insensitive section and key", '[Submodule "lib"]\n\tURL = -x\n', ["gitmodulesUrl:error"]],
    ["the old [section.name] form", "[submodule.Foo]\n\turl = -x\n", ["gitmodulesUrl:error"]],
    ["no subsection", "[submodule]\n\turl = -x\n", []],
    ["another section", '[core]\n\turl = -x\n[sub.module "x"]\n\turl = -x\n', []],
    ["a key before any section", "url = -x\n", []],
    ["an escaped quote in the name", '[submodule "x\\"y"]\n\turl = -x\n', ["gitmodulesUrl:error"]],
    ["blanks between section and name", '[submodule \t "x"]\n\turl = -x\n', ["gitmodulesUrl:error"]],
    ["a byte order mark", '\xef\xbb\xbf[submodule "lib"]\n\turl = -x\n', ["gitmodulesUrl:error"]],
    // git's in-memory config reader takes a 0xff byte for the end of the blob (a signed char equal to
    // EOF), so git's fsck misses what follows; this parser does not stop there.
    ["a 0xff byte in a comment", '# \xff\n[submodule "lib"]\n\turl = -x\n', ["gitmodulesUrl:error"]],
    ["a continued value at the end", '[submodule "lib"]\n\tpath = -p\\', ["gitmodulesPath:error"]],
  ])("syntax: %s", (_, body, expected) => {
    expect(pairs(gitmodules(body))).toEqual(expected);
  });

  it("reports every problem of a submodule, each once", () => {
    const problems = gitmodules('[submodule "../x"]\n\turl = -x\n\tpath = -p\n\tupdate = !x\n\turl = -x\n');
    expect(ids(problems)).toEqual(["gitmodulesName", "gitmodulesUrl", "gitmodulesPath", "gitmodulesUpdate"]);
  });

  it("messages show UTF-8 values", () => {
    expect(checkGitmodules(utf8('[submodule "é"]\n\turl = -é\n'))[0]!.message).toContain("-é");
  });
});

describe("isStructural", () => {
  it("covers unreadable headers and trees, not identity or .gitmodules problems", () => {
    for (const id of ["nulInHeader", "unterminatedHeader", "missingTree", "badTreeSha1", "badParentSha1", "missingObject", "badObjectSha1", "missingTypeEntry", "badType", "missingTagEntry", "badTree", "badFilemode", "emptyName", "hasDotgit"]) {
      expect(isStructural(id), id).toBe(true);
    }
    for (const id of ["badEmail", "badDate", "badTimezone", "multipleAuthors", "nulInCommit", "badTagName", "missingTaggerEntry", "nullSha1", "zeroPaddedFilemode", "gitmodulesUrl", "gitmodulesSymlink", "unknown"]) {
      expect(isStructural(id), id).toBe(false);
    }
  });
});

describe("checkTree's fast path for plain trees", () => {
  it("gives the full checks' verdict on plain trees, sorted or not, with or without a file and directory of one name", () => {
    const plain = tree(entry("100644", "a"), entry("100644", "a-b"), entry("40000", "a.d"), entry("100755", "b"), entry("120000", "c"), entry("160000", "d"));
    expect(checkTree(plain).problems).toEqual([]);
    expect(ids(checkTree(tree(entry("100644", "b"), entry("100644", "a"))).problems)).toEqual(["treeNotSorted"]);
    expect(ids(checkTree(tree(entry("100644", "a"), entry("100644", "a-b"), entry("40000", "a"))).problems)).toEqual(["duplicateEntries"]);
    expect(ids(checkTree(tree(entry("40000", "a"), entry("100644", "a"))).problems)).toEqual(["duplicateEntries"]);
    expect(ids(checkTree(tree(entry("100644", "a"), entry("100644", "a"))).problems)).toEqual(["duplicateEntries"]);
    expect(ids(checkTree(tree(entry("100644", "a"), entry("100644", "b", "0".repeat(40)))).problems)).toEqual(["nullSha1"]);
    expect(ids(checkTree(tree(entry("040000", "a"))).problems)).toEqual(["zeroPaddedFilemode"]);
  });

  it("reads a tree of 20,000 plain entries, past the size of its first name buffer", () => {
    const big = tree(...Array.from({ length: 20_000 }, (_, i) => entry(i % 10 ? "100644" : "40000", `name${String(i).padStart(6, "0")}`)));
    expect(checkTree(big).problems).toEqual([]);
  });
});
