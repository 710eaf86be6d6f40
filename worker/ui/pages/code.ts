// The code pages: the repository's home (the default branch's root, its README rendered, the clone
// URL), a directory, and a file (text with line numbers, images shown, other binaries and large
// files as a link to the raw bytes).
import type { IRequest } from "itty-router";
import type { Env } from "../../env";
import { pageContext, withAt, type PageContext } from "../context";
import { crumbs, html, short, size, when, type Html, urlPath as enc } from "../html";
import { markdown } from "../markdown";

const README = /^readme(\.(md|markdown|txt))?$/i;
const IMAGE = /\.(png|jpe?g|gif|webp|ico)$/i;

async function treeBody(ctx: PageContext, ref: string, path: string): Promise<Html> {
  const tree = await ctx.api.get(withAt(ctx, `tree/${enc(ref)}/${enc(path)}`));
  const latest = await ctx.api.get(withAt(ctx, `commits?ref=${encodeURIComponent(ref)}&limit=1${path ? `&path=${encodeURIComponent(path)}` : ""}`));
  const head = latest.commits[0];
  const dirs = tree.entries.filter((e: any) => e.type === "tree");
  const files = tree.entries.filter((e: any) => e.type !== "tree");
  const rows = [...dirs, ...files].map(
    (e: any) => html`<tr><td class="icon ${e.type}" aria-label="${e.type === "tree" ? "directory" : e.type === "commit" ? "submodule" : "file"}"></td><td><a href="/${ctx.api.id}/${e.type === "tree" ? "tree" : "blob"}/${enc(ref)}/${enc(e.path)}${ctx.keep}">${e.name}</a></td><td class="num">${size(e.size)}</td></tr>`,
  );
  const readme = files.find((e: any) => README.test(e.name));
  let rendered: Html | string = "";
  if (readme) {
    const blob = await ctx.api.get(withAt(ctx, `blob/${enc(ref)}/${enc(readme.path)}`));
    if (blob.content !== undefined) rendered = html`<section class="readme"><h2>${readme.name}</h2>${/\.(md|markdown)$/i.test(readme.name) ? markdown(blob.content) : html`<pre>${blob.content}</pre>`}</section>`;
  }
  return html`${crumbs(ctx.api.id, ref, path, ctx.keep)}
${head ? html`<p class="last">Last change: <a href="/${ctx.api.id}/commit/${head.oid}">${short(head.oid)}</a> ${head.summary} — ${head.author.name}, ${when(head.author.date)} · <a href="/${ctx.api.id}/commits/${enc(ref)}${path ? `?path=${encodeURIComponent(path)}${ctx.keepAnd}` : ctx.keep}">History</a></p>` : ""}
<table class="list tree">${rows}</table>
${rendered}`;
}

export async function homePage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const branches = await ctx.api.get(withAt(ctx, "branches?limit=1"));
  const clone = `${ctx.url.origin}/${ctx.api.id}.git`;
  const cloneBox = html`<p class="clone"><label>Clone <input id="clone-url" readonly value="${clone}"></label> <button type="button" data-copy="clone-url">Copy</button></p>`;
  if (branches.branches.length === 0) return ctx.render({ title: ctx.api.id, tab: "code", body: html`${cloneBox}<p>This repository has no branches yet. Push one: <code>git push ${clone} main</code></p>` });
  return ctx.render({ title: ctx.api.id, tab: "code", body: html`${cloneBox}${await treeBody(ctx, branches.default, "")}` });
}

export async function treePage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const rest = decodeURIComponent(req.params.rest ?? "");
  const tree = await ctx.api.get(withAt(ctx, `tree/${enc(rest)}`));
  return ctx.render({ title: `${tree.path || ctx.api.id} at ${tree.ref}`, tab: "code", body: await treeBody(ctx, tree.ref, tree.path) });
}

/** Lines shown at most on a file page; beyond, the page links to the raw bytes. */
const MAX_LINES = 5000;

export async function blobPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const rest = decodeURIComponent(req.params.rest ?? "");
  const blob = await ctx.api.get(withAt(ctx, `blob/${enc(rest)}`));
  const raw = `/${ctx.api.id}/raw/${enc(blob.commit)}/${enc(blob.path)}`;
  const links = html`<p class="meta">${size(blob.size)} · <a href="${raw}">Raw</a> · <a href="/${ctx.api.id}/commits/${enc(blob.ref)}?path=${encodeURIComponent(blob.path)}${ctx.keepAnd}">History</a>${blob.lfs ? html` · stored with Git LFS (${size(blob.lfs.size)})` : ""}</p>`;
  let content: Html;
  if (IMAGE.test(blob.path)) content = html`<p class="image"><img src="${raw}" alt="${blob.name}"></p>`;
  else if (blob.binary || blob.truncated || blob.lfs) content = html`<p>${blob.lfs ? "This file's bytes are in Git LFS." : blob.truncated ? "This file is too large to show here." : "This is a binary file."} <a href="${raw}" download="${blob.name}">Download it</a>.</p>`;
  else {
    const lines = blob.content.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const shown = lines.slice(0, MAX_LINES);
    content = html`<table class="code"><tbody>${shown.map((line: string, i: number) => html`<tr id="L${i + 1}"><td class="ln"><a href="#L${i + 1}">${i + 1}</a></td><td><pre>${line}</pre></td></tr>`)}</tbody></table>${lines.length > MAX_LINES ? html`<p>Only the first ${MAX_LINES} lines are shown. <a href="${raw}">See all of it</a>.</p>` : ""}`;
  }
  return ctx.render({ title: `${blob.path} at ${blob.ref}`, tab: "code", body: html`${crumbs(ctx.api.id, blob.ref, blob.path, ctx.keep)}${links}${content}` });
}

/** A file's bytes for the viewer (images on file pages, downloads), as the API's raw route serves them. */
export async function rawPage(req: IRequest, env: Env): Promise<Response> {
  const ctx = await pageContext(req, env);
  const headers = new Headers();
  for (const name of ["Range", "If-None-Match"]) if (req.headers.get(name)) headers.set(name, req.headers.get(name)!);
  const res = await ctx.api.fetch(withAt(ctx, `raw/${enc(decodeURIComponent(req.params.rest ?? ""))}`), headers);
  // An LFS pointer's redirect goes to the object's download, which takes the same credentials.
  return new Response(res.body, { status: res.status, headers: res.headers });
}
