// A commit's whole content, as the browse API shows it (gitformat-object: the tree, parent, author
// and committer headers, then a blank line and the message; other headers such as gpgsig and
// mergetag are skipped). Pure. isomorphic-git's readCommit would do this too, but only through the
// object store's fs adapter, which deflates each object again for it to inflate; the history walks
// parse thousands of commits per page, so they use this.
import { PackError } from "../errors";

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** The offset from UTC as git writes it: +0200, -0700. */
  tz: string;
}

export interface CommitInfo {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

const decoder = new TextDecoder();
const SIGNATURE = /^(.*?) ?<([^>]*)> (-?\d+) ([+-]\d{4})$/;

export function parseSignature(text: string): Signature {
  const m = SIGNATURE.exec(text);
  if (!m) return { name: text, email: "", time: 0, tz: "+0000" };
  return { name: m[1]!, email: m[2]!, time: Number(m[3]), tz: m[4]! };
}

export function parseCommitInfo(data: Uint8Array): CommitInfo {
  const text = decoder.decode(data);
  const blank = text.indexOf("\n\n");
  const header = blank < 0 ? text : text.slice(0, blank);
  const info: CommitInfo = { tree: "", parents: [], author: parseSignature(""), committer: parseSignature(""), message: blank < 0 ? "" : text.slice(blank + 2) };
  for (const line of header.split("\n")) {
    // Continuation lines of a multi-line header (gpgsig) start with a space.
    if (line.startsWith(" ")) continue;
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") info.tree = value;
    else if (key === "parent") info.parents.push(value);
    else if (key === "author") info.author = parseSignature(value);
    else if (key === "committer") info.committer = parseSignature(value);
  }
  if (!/^[0-9a-f]{40}$/.test(info.tree)) throw new PackError("commit has no tree");
  return info;
}

/** The message's first line, as git log --oneline shows it. */
export function summary(message: string): string {
  const end = message.indexOf("\n");
  return end < 0 ? message : message.slice(0, end);
}

/** A signature's time in ISO-8601 with its own offset (2024-05-01T12:00:00+02:00), as GitHub's API gives it. */
export function signatureDate(s: Signature): string {
  const minutes = (s.tz[0] === "-" ? -1 : 1) * (Number(s.tz.slice(1, 3)) * 60 + Number(s.tz.slice(3, 5)));
  const local = new Date((s.time + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${s.tz.slice(0, 3)}:${s.tz.slice(3)}`;
}
