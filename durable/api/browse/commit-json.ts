// The JSON of a commit in every browse answer: ids, the two signatures with ISO dates in their own
// offset (as GitHub's API gives them), the message and its first line.
import { signatureDate, summary, type CommitInfo, type Signature } from "../../browse/commit-info";

function signatureJson(s: Signature): { name: string; email: string; date: string } {
  return { name: s.name, email: s.email, date: signatureDate(s) };
}

export function commitJson(oid: string, info: CommitInfo): Record<string, unknown> {
  return { oid, tree: info.tree, parents: info.parents, author: signatureJson(info.author), committer: signatureJson(info.committer), summary: summary(info.message), message: info.message };
}

/** The short form in ref listings: a tip's id, author, date and first line. */
export function commitSummaryJson(oid: string, info: CommitInfo): Record<string, unknown> {
  return { oid, author: signatureJson(info.author), date: signatureDate(info.committer), summary: summary(info.message) };
}
