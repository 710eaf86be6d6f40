// The JSON body of each webhook delivery. A push gets a GitHub-compatible subset of GitHub's push
// payload (ref, before, after, created, deleted, forced, commits, head_commit, pusher, repository)
// for its first ref update, plus `refs` with every update of the push (GitHub sends one payload per
// ref; here one push is one delivery), its push id and seq range. `commits` are the ones the update
// brought (at most 20, oldest first, as GitHub orders them): for an update, those `after` has and
// `before` has not; for a new ref, those the default branch did not have before the push. A restore
// has the same shape; a repository event says what changed, with GitHub's action names.
import type { SettingsEvent } from "../access/repo-settings";
import { signatureDate, type CommitInfo } from "../browse/commit-info";
import { loggedCommits, type LoggedCommit } from "../browse/commit-node";
import { history } from "../browse/history";
import { symmetricDifference } from "../browse/symmetric-difference";
import { isoTime } from "../api/event-json";
import { currentSettings } from "../access/repo-settings";
import { ZERO_OID } from "../protocol/oid";
import { refAsOf } from "../refs/as-of";
import type { RefEvent } from "../refs/log";
import type { Repository } from "../repository";
import type { OutboxItem } from "./deliveries";
import type { ItemEvents } from "./outbox";

const MAX_COMMITS = 20;

function commitJson(oid: string, info: CommitInfo): Record<string, unknown> {
  const person = (s: CommitInfo["author"]) => ({ name: s.name, email: s.email });
  return { id: oid, tree_id: info.tree, message: info.message, timestamp: signatureDate(info.committer), author: person(info.author), committer: person(info.committer) };
}

/** The commits `e` brought, oldest first, at most MAX_COMMITS (the newest ones). */
async function pushedCommits(repo: Repository, e: RefEvent): Promise<Record<string, unknown>[]> {
  if (e.newOid === ZERO_OID) return [];
  const head = repo.refs.head();
  const base = e.oldOid !== ZERO_OID ? e.oldOid : e.ref !== head ? refAsOf(repo.sql, head, e.seq - 1) : ZERO_OID;
  let commits: LoggedCommit[];
  if (base === ZERO_OID) {
    commits = (await history(repo.store, repo.graph, { tips: [e.newOid], path: "", skip: 0, limit: MAX_COMMITS })).commits;
  } else {
    const { ahead, nodes } = await symmetricDifference(repo.store, repo.graph, base, e.newOid);
    commits = await loggedCommits(repo.store, ahead.slice(0, MAX_COMMITS).map((oid) => nodes.get(oid)!));
  }
  return commits.reverse().map((c) => commitJson(c.oid, c.info));
}

function repositoryJson(repo: Repository): Record<string, unknown> {
  const name = repo.name();
  const [owner, short] = name.split("/");
  const { visibility, description } = currentSettings(repo.sql);
  return { full_name: name, name: short, owner: { login: owner, name: owner }, private: visibility === "private", description, default_branch: repo.refs.head().replace(/^refs\/heads\//, "") };
}

function refUpdateJson(e: RefEvent): Record<string, unknown> {
  return { ref: e.ref, before: e.oldOid, after: e.newOid, created: e.oldOid === ZERO_OID, deleted: e.newOid === ZERO_OID, forced: e.kind === "force" || e.kind === "restore" };
}

async function pushPayload(repo: Repository, events: RefEvent[]): Promise<Record<string, unknown>> {
  const first = events[0]!;
  const commits = await pushedCommits(repo, first);
  return {
    ...refUpdateJson(first),
    commits,
    head_commit: commits[commits.length - 1] ?? null,
    pusher: { name: first.actor, id: first.actorId },
    repository: repositoryJson(repo),
    push_id: first.pushId,
    seq: { first: first.seq, last: events[events.length - 1]!.seq },
    at: isoTime(first.at),
    refs: events.map(refUpdateJson),
  };
}

/** GitHub's actions where it has them: publicized, privatized, edited; deleted and undeleted otherwise. */
function repositoryPayload(repo: Repository, e: SettingsEvent): Record<string, unknown> {
  const action = e.deleted === true ? "deleted" : e.deleted === false ? "undeleted" : e.visibility === "public" ? "publicized" : e.visibility === "private" ? "privatized" : "edited";
  const changes: Record<string, unknown> = {};
  if (e.visibility !== null) changes.visibility = e.visibility;
  if (e.description !== null) changes.description = e.description;
  return { action, changes, sender: { name: e.actor, id: e.actorId }, repository: repositoryJson(repo), seq: e.seq, at: isoTime(e.at) };
}

export async function payload(repo: Repository, item: OutboxItem, logged: ItemEvents): Promise<Record<string, unknown>> {
  const body = logged.log === "ref" ? await pushPayload(repo, logged.events) : repositoryPayload(repo, logged.events[0]!);
  return { ...body, delivery: item.id };
}
