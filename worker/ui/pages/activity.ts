// The activity page: the ref log newest first, each event with its actor, kind and time, and links to
// the repository as of that event (its tree and history), and for a force-push to the tree from just
// before it and to the commits it dropped (those the old tip had and the new one has not).
import type { IRequest } from "itty-router";
import type { Env } from "../../env";
import { pageContext } from "../context";
import { html, short, urlPath as enc } from "../html";

const ZERO = "0".repeat(40);
const shortRef = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, "");

export async function activityPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const cursor = ctx.url.searchParams.get("cursor");
  const log = await ctx.api.get(`ref-log?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  const repo = ctx.api.id;
  const rows = log.events.map((e: any) => {
    const name = shortRef(e.ref);
    const links = [
      e.newOid !== ZERO ? html`<a href="/${repo}/tree/${enc(name)}?at=${e.seq}">Files then</a>` : "",
      e.newOid !== ZERO ? html` · <a href="/${repo}/commits/${enc(name)}?at=${e.seq}">History then</a>` : "",
      e.oldOid !== ZERO ? html` · <a href="/${repo}/tree/${enc(name)}?at=${e.seq - 1}">Before this</a>` : "",
      e.kind === "force" ? html` · <a href="/${repo}/compare/${e.newOid}...${e.oldOid}">Commits it dropped</a>` : "",
    ];
    return html`<li class="event ${e.kind}"><span class="kind">${e.kind}</span> <strong>${name}</strong> by ${e.actor} <time datetime="${e.at}">${e.at.slice(0, 19).replace("T", " ")} UTC</time><br><code>${e.oldOid === ZERO ? "(new)" : short(e.oldOid)} → ${e.newOid === ZERO ? "(deleted)" : short(e.newOid)}</code> <span class="links">${links}</span> <span class="seq">#${e.seq}</span></li>`;
  });
  const next = new URL(ctx.url);
  if (log.nextCursor) next.searchParams.set("cursor", log.nextCursor);
  const body = html`<h1>Activity</h1><p class="meta">Every change of a ref, from the repository's append-only log. Each links to the repository as it was then.</p><ol class="timeline">${rows}</ol>${log.nextCursor ? html`<p class="pager"><a rel="next" href="${next.pathname}${next.search}">Older</a></p>` : ""}`;
  return ctx.render({ title: `Activity · ${repo}`, tab: "activity", body });
}
