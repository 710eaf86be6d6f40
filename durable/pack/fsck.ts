// Content checks of one commit, tag, tree or .gitmodules blob, the way `git fsck` and a receiving git
// with transfer.fsckObjects check them, so that a push cannot store objects that git clients refuse
// or that attack them (`.git` entries, option-like submodule urls). Pure: bytes in, problems out;
// links between objects (does the tree exist, is the .gitmodules id a blob) are the caller's.
//
// Follows git's object formats (Documentation/gitformat-*.adoc) and its fsck message ids and default
// severities (Documentation/fsck-msgids.adoc, the FOREACH_FSCK_MSG_ID list in fsck.h): "error",
// "warn" and "info"; IGNORE ids (extraHeaderEntry) are not checked. A receiving git in strict mode
// turns every "warn" into an error, and leaves "info" alone.
// Where this code is stricter than git it says so below; object ids must be lowercase hex here,
// because the server's parsers (parse-object.ts, hex.ts) read no other kind.
import { checkRefName } from "../protocol/refname";
import { hexAt } from "./hex";

export type FsckSeverity = "error" | "warn" | "info";
/** `id` is git's camelCase message id, as `fsck.<id>` / `receive.fsck.<id>` name it. */
export interface FsckProblem {
  id: string;
  severity: FsckSeverity;
  message: string;
}

/** git's WARN ids among those reported here. */
const WARNINGS = new Set(["emptyName", "fullPathname", "hasDot", "hasDotdot", "hasDotgit", "largePathname", "nullSha1", "nulInCommit", "zeroPaddedFilemode"]);
/** git's INFO ids; every id in neither set is an ERROR (or FATAL) one. */
const INFOS = new Set(["badFilemode", "badTagName", "gitattributesSymlink", "gitignoreSymlink", "gitmodulesParse", "mailmapSymlink", "missingTaggerEntry"]);

const STRUCTURAL = new Set([
  // Headers the server's parsers and git's parse_commit_buffer / parse_tag_buffer cannot read.
  "nulInHeader", "unterminatedHeader", "missingTree", "badTreeSha1", "badParentSha1", "missingAuthor",
  "missingCommitter", "missingObject", "badObjectSha1", "missingTypeEntry", "missingType", "badType",
  "missingTagEntry", "missingTag",
  // Trees. badFilemode is INFO in git, but git reads any mode it does not know as a submodule link
  // (canon_mode), where this server's walks read a blob link: the two would disagree on what the tree
  // links to, so modes outside git's set are refused. (A mode that is not octal, such as 999999, is
  // badTree in git too.) emptyName is badTree in git's tree reader (decode_tree_entry). Names that are
  // not one path component, or that git's checkout refuses (`.`, `..`, `.git` and its HFS+/NTFS
  // aliases, the CVE-2014-9390 family), are WARN in git but refused here whatever the settings say.
  "badTree", "badFilemode", "emptyName", "fullPathname", "hasDot", "hasDotdot", "hasDotgit",
]);

/** Whether the problem makes the object unreadable by this server and git clients (never downgradable): a malformed header line, a bad or missing oid, a tree entry that does not parse. */
export function isStructural(id: string): boolean {
  return STRUCTURAL.has(id);
}

function problem(id: string, message: string): FsckProblem {
  return { id, severity: WARNINGS.has(id) ? "warn" : INFOS.has(id) ? "info" : "error", message };
}

const LF = 0x0a;
const SPACE = 0x20;
const utf8 = new TextDecoder();

/** Bytes as a string of the same char codes (latin1), so that string comparison is byte comparison. */
function byteString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

/** A byteString for a message: decoded as UTF-8, and cut if long. */
function show(s: string): string {
  const cut = s.length > 200 ? s.slice(0, 200) : s;
  return utf8.decode(Uint8Array.from(cut, (c) => c.charCodeAt(0))) + (cut === s ? "" : "...");
}

// ---- commits and tags (fsck_commit, fsck_tag in git's fsck.c) ----

/** nulInHeader / unterminatedHeader: the header must end in "\n\n", or the object in "\n", with no NUL before. */
function checkFraming(data: Uint8Array): FsckProblem | undefined {
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) return problem("nulInHeader", `NUL in the header at offset ${i}`);
    if (data[i] === LF && data[i + 1] === LF) return undefined;
  }
  return data[data.length - 1] === LF ? undefined : problem("unterminatedHeader", "the header does not end with a newline");
}

/** Where the value of a header line `key ` at `at` starts, or -1 when that line is not one. */
function valueAt(data: Uint8Array, at: number, key: string): number {
  if (at + key.length > data.length) return -1;
  for (let k = 0; k < key.length; k++) if (data[at + k] !== key.charCodeAt(k)) return -1;
  return at + key.length;
}

/** The end of the line at `at`. Once checkFraming passed, every header line has one. */
function eolAt(data: Uint8Array, at: number): number {
  const eol = data.indexOf(LF, at);
  return eol < 0 ? data.length : eol;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66));
}

/** A "<key> <40 hex>\n" value at `at`; returns the start of the next line. */
function checkOidLine(data: Uint8Array, at: number, id: string, key: string, out: FsckProblem[]): number {
  let ok = data[at + 40] === LF;
  for (let k = 0; k < 40 && ok; k++) ok = isHex(data[at + k]);
  if (!ok) out.push(problem(id, `invalid '${key}' line: not 40 lowercase hex digits`));
  return eolAt(data, at) + 1;
}

/** Dates at or past 2^63 seconds overflow git's time_t. `digits` has no leading zero. */
function overflows(digits: string): boolean {
  return digits.length > 19 || (digits.length === 19 && digits >= "9223372036854775808");
}

/** An author, committer or tagger value: "Name <email> 1234567890 +0100". */
function identError(s: string): [string, string] | undefined {
  if (s[0] === "<") return ["missingNameBeforeEmail", "missing name before email"];
  const lt = s.search(/[<>]/);
  if (lt < 0) return ["missingEmail", "missing email"];
  if (s[lt] === ">") return ["badName", "bad name"];
  if (s[lt - 1] !== " ") return ["missingSpaceBeforeEmail", "missing space before email"];
  const gt = s.slice(lt + 1).search(/[<>]/) + lt + 1;
  if (gt === lt || s[gt] === "<") return ["badEmail", "bad email"];
  if (s[gt + 1] !== " ") return ["missingSpaceBeforeDate", "missing space before date"];
  const [, digits, zone] = /^[ \t]*(\d*)(.*)$/s.exec(s.slice(gt + 2)) as unknown as [string, string, string];
  if (!digits) return ["badDate", "bad date"];
  if (digits[0] === "0" && (digits.length > 1 || zone[0] !== " ")) return ["zeroPaddedDate", "zero-padded date"];
  if (overflows(digits)) return ["badDateOverflow", "date causes integer overflow"];
  if (zone[0] !== " ") return ["badDate", "bad date"];
  if (!/^ [+-]\d{4}$/.test(zone)) return ["badTimezone", "bad time zone"];
  return undefined;
}

/** The ident line whose value starts at `at`; returns the start of the next line. */
function checkIdent(data: Uint8Array, at: number, key: string, out: FsckProblem[]): number {
  const eol = eolAt(data, at);
  const error = identError(byteString(data.subarray(at, eol)));
  if (error) out.push(problem(error[0], `invalid '${key}' line: ${error[1]}`));
  return eol + 1;
}

export function checkCommit(data: Uint8Array): FsckProblem[] {
  const framing = checkFraming(data);
  if (framing) return [framing];
  const out: FsckProblem[] = [];
  let v = valueAt(data, 0, "tree ");
  if (v < 0) return [problem("missingTree", "the first line is not 'tree'")];
  let at = checkOidLine(data, v, "badTreeSha1", "tree", out);
  while ((v = valueAt(data, at, "parent ")) >= 0) at = checkOidLine(data, v, "badParentSha1", "parent", out);
  let authors = 0;
  for (; (v = valueAt(data, at, "author ")) >= 0; authors++) at = checkIdent(data, v, "author", out);
  if (authors === 0) out.push(problem("missingAuthor", "no 'author' line after 'tree' and 'parent'"));
  if (authors > 1) out.push(problem("multipleAuthors", "more than one 'author' line"));
  v = valueAt(data, at, "committer ");
  if (v < 0) return [...out, problem("missingCommitter", "no 'committer' line after 'author'")];
  checkIdent(data, v, "committer", out);
  if (data.indexOf(0) >= 0) out.push(problem("nulInCommit", "NUL in the commit message"));
  return out;
}

const TYPES = new Set(["commit", "tree", "blob", "tag"]);

export function checkTag(data: Uint8Array): FsckProblem[] {
  const framing = checkFraming(data);
  if (framing) return [framing];
  const out: FsckProblem[] = [];
  let v = valueAt(data, 0, "object ");
  if (v < 0) return [problem("missingObject", "the first line is not 'object'")];
  let at = checkOidLine(data, v, "badObjectSha1", "object", out);
  if ((v = valueAt(data, at, "type ")) < 0) return [...out, problem("missingTypeEntry", "no 'type' line after 'object'")];
  let eol = data.indexOf(LF, v);
  if (eol < 0) return [...out, problem("missingType", "unexpected end after 'type'")];
  const type = byteString(data.subarray(v, eol));
  if (!TYPES.has(type)) out.push(problem("badType", `invalid type '${show(type)}'`));
  if ((v = valueAt(data, eol + 1, "tag ")) < 0) return [...out, problem("missingTagEntry", "no 'tag' line after 'type'")];
  if ((eol = data.indexOf(LF, v)) < 0) return [...out, problem("missingTag", "unexpected end after 'tag'")];
  const name = byteString(data.subarray(v, eol));
  if (checkRefName(`refs/tags/${name}`) !== null) out.push(problem("badTagName", `invalid tag name '${show(name)}'`));
  if ((v = valueAt(data, eol + 1, "tagger ")) < 0) out.push(problem("missingTaggerEntry", "no 'tagger' line after 'tag'"));
  else checkIdent(data, v, "tagger", out);
  // Later headers (gpgsig, and extraHeaderEntry, IGNORE in git) are not checked: with the framing
  // checked, badGpgsig and badHeaderContinuation cannot happen.
  return out;
}


// ---- trees (fsck_tree, verify_ordered) ----

const MODE_DIR = 0o40000;
const MODE_LINK = 0o120000;
/** Modes git writes, and 100664, which early git wrote and fsck accepts outside strict mode. */
const MODES = new Set([0o100644, 0o100755, MODE_LINK, MODE_DIR, 0o160000, 0o100664]);
const MAX_NAME = 4096;

interface Entry {
  /** The mode's value, or -1 when it has too many digits to be one git knows. */
  mode: number;
  zeroPadded: boolean;
  /** The name as a byteString. */
  name: string;
  oid: string;
  nullOid: boolean;
  end: number;
}

const isDir = (mode: number) => (mode & 0o170000) === MODE_DIR;
const isLink = (mode: number) => (mode & 0o170000) === MODE_LINK;

/** "<octal mode> <name>\0<20-byte id>" at `p`, or why it does not parse. */
function readEntry(data: Uint8Array, p: number): Entry | string {
  let q = p;
  while (q < data.length && data[q] >= 0x30 && data[q] <= 0x37) q++;
  if (q === p || data[q] !== SPACE) return "malformed mode in tree entry";
  const nul = data.indexOf(0, q + 1);
  if (nul < 0 || nul + 21 > data.length) return "truncated tree entry";
  const digits = byteString(data.subarray(p, q)).replace(/^0+(?=.)/, "");
  let nullOid = true;
  for (let k = nul + 1; k < nul + 21; k++) nullOid &&= data[k] === 0;
  return {
    mode: digits.length > 7 ? -1 : parseInt(digits, 8),
    zeroPadded: data[p] === 0x30,
    name: byteString(data.subarray(q + 1, nul)),
    oid: hexAt(data, nul + 1),
    nullOid,
    end: nul + 21,
  };
}

export interface TreeCheck {
  problems: FsckProblem[];
  /** ids (hex) of blobs this tree names .gitmodules (any case-variant/NTFS/HFS alias git treats as .gitmodules), to be checked with checkGitmodules */
  gitmodules: string[];
  /** true when a .gitmodules entry is a symlink (gitmodulesSymlink) */
  gitmodulesSymlink: boolean;
}

/**
 * Reports each id once per tree, naming the first entry that has it, as git does. Entries named
 * .gitmodules that are not symlinks are all listed, whatever their mode, as git queues them: the
 * caller reports gitmodulesBlob or gitmodulesMissing when one is not a blob it has.
 */
export function checkTree(data: Uint8Array): TreeCheck {
  const plain = plainTreeGitmodules(data);
  if (plain) return { problems: [], gitmodules: plain, gitmodulesSymlink: false };
  const found = new Map<string, string>();
  const flag = (id: string, name: string) => found.has(id) || found.set(id, name);
  const gitmodules = new Set<string>();
  const candidates: string[] = [];
  let badTree: string | undefined;
  let prev: Entry | undefined;
  for (let p = 0; p < data.length; ) {
    const entry = readEntry(data, p);
    if (typeof entry === "string") {
      badTree = entry;
      break;
    }
    checkName(entry, flag, gitmodules);
    if (entry.nullOid) flag("nullSha1", entry.name);
    if (entry.zeroPadded) flag("zeroPaddedFilemode", entry.name);
    if (!MODES.has(entry.mode)) flag("badFilemode", entry.name);
    const order = prev && compareEntries(prev, entry, candidates);
    if (order === "duplicate") flag("duplicateEntries", entry.name);
    if (order === "unsorted") flag("treeNotSorted", entry.name);
    prev = entry;
    p = entry.end;
  }
  const problems = [...found].map(([id, name]) => problem(id, `${MESSAGES[id]}: '${show(name)}'`));
  if (badTree) problems.unshift(problem("badTree", `cannot be parsed as a tree: ${badTree}`));
  return { problems, gitmodules: [...gitmodules], gitmodulesSymlink: found.has("gitmodulesSymlink") };
}

// ---- the fast path: most trees hold nothing any rule looks at twice ----

/** Mode fields git writes (and 100664, which it accepts), as bytes. */
const PLAIN_MODES = ["100644", "100755", "40000", "120000", "160000", "100664"].map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));
const SLASH = 0x2f;

/**
 * Whether a tree is clean by a check of its bytes alone, with no string per entry: every mode one git
 * writes (no zero padding), every name plain (1 to MAX_NAME printable ASCII bytes, not starting with
 * "." and holding none of / \ : ~, so no .git, .gitmodules or NTFS/HFS alias can be among them), no
 * null id, and the entries strictly in git's order with no file and directory of one name. Trees of
 * real histories nearly all are (git's own: 40 million entries); any other goes through the full
 * checks below, which name each problem as git does. The same verdict, about fifty times faster.
 * Returns the ids of the blobs a plain tree names .gitmodules (spelt exactly so), or null.
 */
function plainTreeGitmodules(data: Uint8Array): string[] | null {
  const gitmodules: string[] = [];
  let count = 0;
  let prevStart = -1;
  let prevLen = 0;
  let prevDir = false;
  for (let p = 0; p < data.length; ) {
    const mode = plainModeAt(data, p);
    if (!mode) return null;
    const start = p + mode.length + 1;
    let end = start;
    while (end < data.length && data[end] !== 0) {
      const c = data[end]!;
      if (c < 0x20 || c > 0x7e || c === SLASH || c === 0x5c || c === 0x3a || c === 0x7e) return null;
      end++;
    }
    const len = end - start;
    if (len === 0 || len > MAX_NAME || end + 21 > data.length) return null;
    if (data[start] === 0x2e && isGitmodules(data, start, end) && mode !== PLAIN_MODES[3]) gitmodules.push(hexAt(data, end + 1));
    else if (data[start] === 0x2e && !isPlainDotName(data, start, end, mode === PLAIN_MODES[3])) return null;
    let nullOid = true;
    for (let k = end + 1; k < end + 21 && nullOid; k++) nullOid = data[k] === 0;
    if (nullOid) return null;
    const dir = mode.length === 5 && mode[0] === 0x34;
    if (prevStart >= 0 && compareNames(data, prevStart, prevLen, prevDir, start, len, dir) >= 0) return null;
    if (dir && hasFileNamed(data, start, len, count)) return null;
    if (2 * count + 2 > names.length) names = Int32Array.from({ length: names.length * 2 }, (_, k) => names[k] ?? 0);
    names[2 * count] = start;
    names[2 * count + 1] = len;
    count++;
    prevStart = start;
    prevLen = len;
    prevDir = dir;
    p = end + 21;
  }
  return gitmodules;
}

function plainModeAt(data: Uint8Array, p: number): Uint8Array | undefined {
  for (const m of PLAIN_MODES) {
    let k = 0;
    while (k < m.length && data[p + k] === m[k]) k++;
    if (k === m.length && data[p + k] === SPACE) return m;
  }
  return undefined;
}

const GITMODULES = Uint8Array.from(".gitmodules", (c) => c.charCodeAt(0));

/** Whether the name is exactly ".gitmodules" (its other spellings take the full checks). */
function isGitmodules(data: Uint8Array, start: number, end: number): boolean {
  return end - start === GITMODULES.length && GITMODULES.every((c, k) => data[start + k] === c);
}

/** Names that, with trailing dots and spaces dropped and in any case, some rule looks at (or symlinked, for the last three). */
const DOT_NAMES = new Set(["", ".git", ".gitmodules"]);
const SYMLINK_CHECKED = new Set([".gitattributes", ".gitignore", ".mailmap"]);

/**
 * Whether an ASCII name that starts with "." is one no rule looks at: not ".", "..", nor, in any
 * case and with trailing dots and spaces, .git or .gitmodules (the NTFS and HFS+ aliases need
 * ":", "~" or bytes above 0x7e, which plain names do not have), nor a symlinked .gitattributes,
 * .gitignore or .mailmap. ".github", ".gitignore" as a file, ".travis.yml" are plain.
 */
function isPlainDotName(data: Uint8Array, start: number, end: number, symlink: boolean): boolean {
  let last = end;
  while (last > start && (data[last - 1] === 0x2e || data[last - 1] === SPACE)) last--;
  let name = "";
  for (let k = start; k < last && name.length <= 14; k++) name += String.fromCharCode(data[k]! | 0x20);
  if (DOT_NAMES.has(name)) return false;
  return !(SYMLINK_CHECKED.has(name) && (symlink || last !== end));
}

/** git's base_name_compare over names in `data`, a directory's name read as if "/" followed it. */
function compareNames(data: Uint8Array, a: number, aLen: number, aDir: boolean, b: number, bLen: number, bDir: boolean): number {
  const n = Math.min(aLen, bLen);
  for (let k = 0; k < n; k++) {
    const diff = data[a + k]! - data[b + k]!;
    if (diff !== 0) return diff;
  }
  const ca = aLen > n ? data[a + n]! : aDir ? SLASH : 0;
  const cb = bLen > n ? data[b + n]! : bDir ? SLASH : 0;
  return ca - cb;
}

/** Names seen so far in the tree plainTreeGitmodules is reading: start and length of each, reused between trees. */
let names = new Int32Array(2048);

/**
 * Whether one of the first `count` names is a file named exactly as the directory at `start`. Sorted
 * order keeps them apart only by names that extend it with a byte below "/", so walking back from
 * the last name stops at once unless such names are there.
 */
function hasFileNamed(data: Uint8Array, start: number, len: number, count: number): boolean {
  for (let i = count - 1; i >= 0; i--) {
    const s = names[2 * i]!;
    const l = names[2 * i + 1]!;
    if (l < len) return false;
    for (let k = 0; k < len; k++) if (data[s + k] !== data[start + k]) return false;
    if (l === len) return true;
    if (data[s + len]! >= SLASH) return false;
  }
  return false;
}

const MESSAGES: Record<string, string> = {
  nullSha1: "contains entries pointing to the null id",
  fullPathname: "contains full pathnames",
  emptyName: "contains an empty name",
  hasDot: "contains '.'",
  hasDotdot: "contains '..'",
  hasDotgit: "contains '.git'",
  largePathname: "contains an excessively long name",
  zeroPaddedFilemode: "contains zero-padded file modes",
  badFilemode: "contains bad file modes",
  duplicateEntries: "contains duplicate file entries",
  treeNotSorted: "not properly sorted",
  gitmodulesSymlink: ".gitmodules is a symbolic link",
  gitattributesSymlink: ".gitattributes is a symbolic link",
  gitignoreSymlink: ".gitignore is a symbolic link",
  mailmapSymlink: ".mailmap is a symbolic link",
};

function checkName(entry: Entry, flag: (id: string, name: string) => void, gitmodules: Set<string>): void {
  const { name, mode } = entry;
  if (name === "") flag("emptyName", name);
  if (name.includes("/")) flag("fullPathname", name);
  if (name === ".") flag("hasDot", name);
  if (name === "..") flag("hasDotdot", name);
  if (name.length > MAX_NAME) flag("largePathname", name);
  // NTFS also reads what follows each backslash as a name.
  const tails = name.includes("\\") ? [name, ...[...name.matchAll(/\\/g)].map((m) => name.slice(m.index! + 1))] : [name];
  if (isHfsDot(name, "git") || tails.some(isNtfsDotgit)) flag("hasDotgit", name);
  if (isHfsDot(name, "gitmodules") || tails.some((tail) => isNtfsDot(tail, "gitmodules", "gi7eba"))) {
    if (isLink(mode)) flag("gitmodulesSymlink", name);
    else gitmodules.add(entry.oid);
  }
  if (!isLink(mode)) return;
  if (isHfsDot(name, "gitattributes") || isNtfsDot(name, "gitattributes", "gi7d29")) flag("gitattributesSymlink", name);
  if (isHfsDot(name, "gitignore") || isNtfsDot(name, "gitignore", "gi250a")) flag("gitignoreSymlink", name);
  if (isHfsDot(name, "mailmap") || isNtfsDot(name, "mailmap", "maba30")) flag("mailmapSymlink", name);
}

/** Code points HFS+ ignores in names. */
const HFS_IGNORED = new Set([0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0xfeff]);

/** The code point at `s[i]` of a UTF-8 byteString and its length, or undefined where git's decoder finds it invalid. */
function utf8At(s: string, i: number): [number, number] | undefined {
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return [b0, 1];
  const length = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (!length || b0 > 0xf4 || i + length > s.length) return undefined;
  let c = b0 & (0x7f >> length);
  for (let k = 1; k < length; k++) {
    const b = s.charCodeAt(i + k);
    if ((b & 0xc0) !== 0x80) return undefined;
    c = (c << 6) | (b & 0x3f);
  }
  const overlong = c < [0, 0, 0x80, 0x800, 0x10000][length]!;
  if (overlong || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff || c > 0x10ffff) return undefined;
  return [c, length];
}

/**
 * Whether HFS+ (folding case, ignoring some code points) sees `s` as "." + `needle`. As in git, a
 * name that stops being UTF-8 after the needle matches (HFS+ would escape the rest).
 */
function isHfsDot(s: string, needle: string): boolean {
  if (s[0] !== "." && !/[^\x00-\x7f]/.test(s)) return false;
  let i = 0;
  /** The next code point HFS+ does not ignore; 0 at the end or at bytes that are not UTF-8. */
  const next = (): number => {
    for (let c; i < s.length; ) {
      if (!(c = utf8At(s, i))) return 0;
      i += c[1];
      if (!HFS_IGNORED.has(c[0])) return c[0];
    }
    return 0;
  };
  if (next() !== 0x2e) return false;
  for (const letter of needle) {
    const c = next();
    if (c > 0x7f || String.fromCharCode(c).toLowerCase() !== letter) return false;
  }
  const after = next();
  return after === 0 || after === 0x2f;
}

/** `.git` or `git~1` (any case), then only dots and spaces, to the end or an NTFS stream (":"). */
function isNtfsDotgit(s: string): boolean {
  return /^(\.git|git~1)[. ]*([:/\\]|$)/i.test(s);
}

/** `.<needle>`, its short name `<6 chars>~1` to `~4`, or a fallback short name `<prefix>~<digits>`. */
function isNtfsDot(s: string, needle: string, shortPrefix: string): boolean {
  const rest = (i: number) => /^[. ]*(:|$)/.test(s.slice(i));
  if (s[0] === "." && s.slice(1, needle.length + 1).toLowerCase() === needle) return rest(needle.length + 1);
  if (s.slice(0, 6).toLowerCase() === needle.slice(0, 6) && /^~[1-4]/.test(s.slice(6))) return rest(8);
  // The fallback 8.3 name: up to 6 characters of the prefix, then "~" and a nonzero digit, then digits, 8 in all.
  const tilde = s.indexOf("~");
  if (tilde < 0 || tilde > 6 || s.length < 8 || s.slice(0, tilde).toLowerCase() !== shortPrefix.slice(0, tilde)) return false;
  return /^~[1-9][0-9]*$/.test(s.slice(tilde, 8)) && rest(8);
}

const lessThanSlash = (c: string) => c !== "" && c < "/";

/**
 * git's tree order: names compared bytewise, a directory's as if it ended in "/". `candidates` holds
 * the file names that a later directory of the same name could duplicate (foo, foo.bar, foo/).
 */
function compareEntries(a: Entry, b: Entry, candidates: string[]): "ok" | "unsorted" | "duplicate" {
  const n = Math.min(a.name.length, b.name.length);
  const head1 = a.name.slice(0, n);
  const head2 = b.name.slice(0, n);
  if (head1 !== head2) return head1 < head2 ? "ok" : "unsorted";
  let c1 = a.name.slice(n, n + 1);
  let c2 = b.name.slice(n, n + 1);
  if (!c1 && !c2) return "duplicate";
  if (!c1 && isDir(a.mode)) c1 = "/";
  if (!c2 && isDir(b.mode)) c2 = "/";
  if (!c1 && lessThanSlash(c2)) candidates.push(a.name);
  else if (c2 === "/" && lessThanSlash(c1)) {
    for (let file = candidates.pop(); file !== undefined; file = candidates.pop()) {
      if (!b.name.startsWith(file)) continue;
      const next = b.name.slice(file.length, file.length + 1);
      if (!next) return "duplicate";
      if (lessThanSlash(next)) {
        candidates.push(file);
        break;
      }
    }
  }
  return c1 < c2 ? "ok" : "unsorted";
}

// ---- .gitmodules (fsck_gitmodules_fn, check_submodule_url) ----

/** The blob of a .gitmodules a tree names (TreeCheck.gitmodules). */
export function checkGitmodules(data: Uint8Array): FsckProblem[] {
  const out: FsckProblem[] = [];
  const seen = new Set<string>();
  const report = (id: string, message: string) => {
    if (!seen.has(id + message)) out.push(problem(id, message));
    seen.add(id + message);
  };
  const parsed = parseConfig(byteString(data), (key, value) => {
    const m = /^submodule\.(.*)\.([^.]*)$/s.exec(key);
    if (!m) return;
    const [, name, item] = m as unknown as [string, string, string];
    if (!isSubmoduleName(name)) report("gitmodulesName", `disallowed submodule name '${show(name)}'`);
    if (value === undefined) return;
    if (item === "url" && !isSubmoduleUrl(value)) report("gitmodulesUrl", `disallowed submodule url '${show(value)}'`);
    if (item === "path" && value.startsWith("-")) report("gitmodulesPath", `disallowed submodule path '${show(value)}'`);
    if (item === "update" && value.startsWith("!")) report("gitmodulesUpdate", `disallowed submodule update setting '${show(value)}'`);
  });
  if (!parsed) report("gitmodulesParse", "could not parse the .gitmodules blob");
  return out;
}

/** Not empty, and no ".." component (separated by "/" or "\"). */
function isSubmoduleName(name: string): boolean {
  return name !== "" && !name.split(/[/\\]/).includes("..");
}

const percentDecode = (s: string) => s.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** git's check_submodule_url: no option-like url, no newline hidden in one, no "../" that climbs into the host. */
function isSubmoduleUrl(url: string): boolean {
  if (url.startsWith("-")) return false;
  if (/^\.\.?[/\\]/.test(url) || url.startsWith("git://")) {
    if (percentDecode(url).includes("\n")) return false;
    const climbs = /^(?:\.\.?[/\\])*/.exec(url)![0];
    return !(/\.\.[/\\]/.test(climbs) && /^[:/]/.test(url.slice(climbs.length)));
  }
  const curl = /^(?:https?|ftps?)::(.*)$/s.exec(url)?.[1] ?? (/^(?:https?|ftps?):\/\//.test(url) ? url : undefined);
  return curl === undefined || (isNormalizableUrl(curl) && !percentDecode(curl).includes("\n"));
}

/** Whether git's url_normalize accepts a curl url: scheme, valid %-escapes, a host, a port, no ".." above the root. */
function isNormalizableUrl(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(.*)$/is.exec(url);
  if (!m || /%(?![0-9a-f]{2})/i.test(url)) return false;
  const authority = m[1]!.slice(m[1]!.indexOf("@") + 1);
  const port = /:([^\]:]*)$/.exec(authority);
  const host = port ? authority.slice(0, port.index) : authority;
  if (!host || !/^[A-Za-z0-9.\-_[:\]]*$/.test(host)) return false;
  // Leading zeros are dropped, but a port of zeros is port 0.
  const digits = port?.[1]!.replace(/^0+(?=.)/, "") ?? "";
  if (digits && !(/^\d{1,5}$/.test(digits) && Number(digits) >= 1 && Number(digits) <= 65535)) return false;
  let depth = 0;
  for (const segment of m[2]!.split("/").slice(1).map(percentDecode)) {
    if (segment === "..") {
      if (depth-- === 0) return false;
    } else if (segment !== ".") depth++;
  }
  return true;
}

const isSpace = (c: string) => c === " " || (c >= "\t" && c <= "\r");
const isKeyChar = (c: string) => /^[A-Za-z0-9-]$/.test(c);

/**
 * Just enough of git's config parser (config.c): sections `[name]`, `[name "sub"]` and `[name.sub]`,
 * `key = value` with quotes, escapes, comments and continued lines. Calls `fn` with each
 * "section.key" (lowercased but for a quoted subsection) and its value, undefined for a bare key;
 * returns false at the first syntax error, as git stops there.
 */
function parseConfig(text: string, fn: (key: string, value: string | undefined) => void): boolean {
  if (text.startsWith("\xef\xbb\xbf")) text = text.slice(3);
  else if (text.startsWith("\xef")) return false;
  text = text.replace(/\r\n/g, "\n");
  let i = 0;
  // At the end the parser sees newlines, as git's does.
  const next = () => (i < text.length ? text[i++]! : (i++, "\n"));
  let section = "";
  let comment = false;
  while (i < text.length) {
    const c = next();
    if (c === "\n") comment = false;
    else if (comment || isSpace(c)) continue;
    else if (c === "#" || c === ";") comment = true;
    else if (c === "[") {
      const header = readSection(text, i);
      if (!header) return false;
      [section, i] = header;
    } else {
      if (!/[A-Za-z]/.test(c)) return false;
      let key = c.toLowerCase();
      let d = next();
      for (; isKeyChar(d); d = next()) key += d.toLowerCase();
      while (d === " " || d === "\t") d = next();
      let value: string | undefined;
      if (d !== "\n") {
        if (d !== "=") return false;
        value = readValue(next);
        if (value === undefined) return false;
      }
      fn(`${section}.${key}`, value);
    }
  }
  return true;
}

const SECTION = /([A-Za-z0-9.-]*)(?:\]|[ \t\v\f\r]+"((?:[^"\\\n]|\\[^\n])*)"\])/y;

/** `[name]`, `[name.sub]` or `[name "sub"]` after the "[" at `i`: the section and where the line goes on. */
function readSection(text: string, i: number): [string, number] | undefined {
  SECTION.lastIndex = i;
  const m = SECTION.exec(text);
  if (!m || (!m[1] && m[2] === undefined)) return undefined;
  const name = m[1]!.toLowerCase() + (m[2] === undefined ? "" : "." + m[2].replace(/\\(.)/gs, "$1"));
  return [name, i + m[0].length];
}

/** A value after "=": leading and trailing blanks dropped, quotes and escapes undone, comments ended. */
function readValue(next: () => string): string | undefined {
  let value = "";
  let quoted = false;
  let comment = false;
  let trimTo = -1;
  for (;;) {
    let c = next();
    if (c === "\n") return quoted ? undefined : trimTo >= 0 ? value.slice(0, trimTo) : value;
    if (comment) continue;
    if (isSpace(c) && !quoted) {
      if (trimTo < 0) trimTo = value.length;
      if (value) value += c;
      continue;
    }
    if (!quoted && (c === ";" || c === "#")) {
      comment = true;
      continue;
    }
    trimTo = -1;
    if (c === "\\") {
      c = next();
      if (c === "\n") continue;
      const escaped = ({ t: "\t", b: "\b", n: "\n", "\\": "\\", '"': '"' } as Record<string, string>)[c];
      if (escaped === undefined) return undefined;
      value += escaped;
    } else if (c === '"') quoted = !quoted;
    else value += c;
  }
}
