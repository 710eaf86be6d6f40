// The history pages: a branch's commits (paged, filtered by path), one commit with its diff, and a
// comparison of two revisions (what the activity page links to for the commits a force-push dropped).
import type { IRequest } from "itty-router";
import type { Env } from "../../env";
import { pageContext, withAt, type PageContext } from "../context";
import { counted, html, short, when, type Html } from "../html";

function commitRows(ctx: PageContext, commits: any[]): Html {
  return html`<ol class="commits">${commits.map(
    (c) => html`<li><a class="summary" href="/${ctx.api.id}/commit/${c.oid}">${c.summary}</a><span class="by">${c.author.name} · ${when(c.author.date)}</span><a class="oid" href="/${ctx.api.id}/tree/${c.oid}">${short(c.oid)}</a></li>`,
  )}</ol>`;
}

export async function commitsPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const ref = req.params.rest ? decodeURIComponent(req.params.rest) : undefined;
  const path = ctx.url.searchParams.get("path") ?? "";
  const cursor = ctx.url.searchParams.get("cursor");
  const query = new URLSearchParams({ limit: "30" });
  if (ref) query.set("ref", ref);
  if (path) query.set("path", path);
  if (cursor) query.set("cursor", cursor);
  const page = await ctx.api.get(withAt(ctx, `commits?${query}`));
  const shown = page.ref ? page.ref.replace(/^refs\/(heads|tags)\//, "") : short(page.commit);
  const older = new URL(ctx.url);
  if (page.nextCursor) older.searchParams.set("cursor", page.nextCursor);
  const form = html`<form class="filter" method="get"><label>Path <input name="path" value="${path}" placeholder="Documentation/RelNotes"></label>${ctx.seq !== null ? html`<input type="hidden" name="at" value="${ctx.seq}">` : ""}<button>Filter</button></form>`;
  const body = html`<h1>Commits on ${shown}${path ? html` touching <code>${path}</code>` : ""}</h1>${form}${page.commits.length ? commitRows(ctx, page.commits) : html`<p>No commits.</p>`}
<p class="pager">${cursor ? html`<a href="${(() => { const u = new URL(ctx.url); u.searchParams.delete("cursor"); return u.pathname + u.search; })()}">Newest</a>` : ""}${page.nextCursor ? html` <a rel="next" href="${older.pathname}${older.search}">Older</a>` : ""}</p>`;
  return ctx.render({ title: `Commits · ${ctx.api.id}`, tab: "commits", body });
}

function fileDiffs(files: any[]): Html {
  return html`${files.map(
    (f) => html`<section class="file"><h3><span class="status ${f.status}">${f.status}</span> ${f.previousPath ? html`${f.previousPath} → ` : ""}${f.path} <span class="counts"><span class="add">+${f.additions}</span> <span class="del">−${f.deletions}</span></span></h3>${
      f.binary
        ? html`<p>Binary file.</p>`
        : f.patch
          ? html`<pre class="patch">${f.patch.split("\n").map((line: string) => html`<span class="${line[0] === "+" ? "add" : line[0] === "-" ? "del" : line.startsWith("@@") ? "hunk" : ""}">${line}</span>\n`)}</pre>`
          : f.patchTruncated
            ? html`<p>This diff is too large to show.</p>`
            : ""
    }</section>`,
  )}`;
}

export async function commitPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const c = await ctx.api.get(`commits/${encodeURIComponent(req.params.oid!)}`);
  const rest = c.message.slice(c.summary.length).trim();
  const body = html`<h1>${c.summary}</h1>
${rest ? html`<pre class="message">${rest}</pre>` : ""}
<p class="meta">${c.author.name} &lt;${c.author.email}&gt; · ${when(c.author.date)} · commit <code>${c.oid}</code>${c.parents.map((p: string) => html` · parent <a href="/${ctx.api.id}/commit/${p}">${short(p)}</a>`)} · <a href="/${ctx.api.id}/tree/${c.oid}">Browse files</a></p>
<p class="stats">${counted(c.stats.files, "file")} changed, <span class="add">${counted(c.stats.additions, "addition")}</span>, <span class="del">${counted(c.stats.deletions, "deletion")}</span>${c.truncated ? " (only the first 300 files are listed)" : ""}</p>
${fileDiffs(c.files)}`;
  return ctx.render({ title: `${c.summary} · ${short(c.oid)}`, tab: "commits", body });
}

export async function comparePage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const spec = decodeURIComponent(req.params.spec!);
  const c = await ctx.api.get(withAt(ctx, `compare/${encodeURIComponent(spec)}?patch=1`));
  const [base, head] = spec.split("...");
  const body = html`<h1>Comparing ${base} … ${head}</h1>
<p class="meta">${head} is ${counted(c.aheadBy, "commit")} ahead of and ${c.behindBy} behind ${base}${c.mergeBase ? html`; they meet at <a href="/${ctx.api.id}/commit/${c.mergeBase}">${short(c.mergeBase)}</a>` : ""}.</p>
<h2>Commits only ${head} has</h2>${c.commits.length ? commitRows(ctx, c.commits) : html`<p>None.</p>`}
<h2>Files changed</h2>${fileDiffs(c.files)}`;
  return ctx.render({ title: `Compare ${spec}`, tab: "commits", body });
}
