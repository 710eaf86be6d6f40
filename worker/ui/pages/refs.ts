// The branches and tags pages: each ref with its tip commit, the default branch and protection marked.
import type { IRequest } from "itty-router";
import type { Env } from "../../env";
import { pageContext, withAt } from "../context";
import { html, short, when, urlPath as enc } from "../html";


export async function branchesPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const page = await ctx.api.get(withAt(ctx, "branches?limit=1000"));
  const rows = page.branches.map(
    (b: any) => html`<tr><td><a href="/${ctx.api.id}/tree/${enc(b.name)}${ctx.keep}">${b.name}</a>${b.default ? html` <span class="tag">default</span>` : ""}${b.protected ? html` <span class="tag">protected</span>` : ""}</td><td>${b.commit ? html`<a href="/${ctx.api.id}/commit/${b.commit.oid}">${short(b.commit.oid)}</a> ${b.commit.summary}` : short(b.target)}</td><td class="num">${b.commit ? when(b.commit.date) : ""}</td></tr>`,
  );
  return ctx.render({ title: `Branches · ${ctx.api.id}`, tab: "branches", body: html`<h1>Branches</h1>${rows.length ? html`<table class="list">${rows}</table>` : html`<p>No branches.</p>`}` });
}

export async function tagsPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const page = await ctx.api.get(withAt(ctx, "tags?limit=1000"));
  const rows = page.tags.map(
    (t: any) => html`<tr><td><a href="/${ctx.api.id}/tree/${enc(t.name)}${ctx.keep}">${t.name}</a>${t.annotated ? html` <span class="tag">annotated</span>` : ""}</td><td>${t.commit ? html`<a href="/${ctx.api.id}/commit/${t.commit.oid}">${short(t.commit.oid)}</a> ${t.commit.summary}` : short(t.target)}</td><td class="num">${t.commit ? when(t.commit.date) : ""}</td></tr>`,
  );
  return ctx.render({ title: `Tags · ${ctx.api.id}`, tab: "tags", body: html`<h1>Tags</h1>${rows.length ? html`<table class="list">${rows}</table>` : html`<p>No tags.</p>`}` });
}
