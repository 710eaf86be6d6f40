// HTML for the web UI: a tagged template that escapes every interpolated value unless it is already
// HTML (so no page can forget to), and the layout every page shares. Pages are plain server-rendered
// HTML with one stylesheet and one small script, both served by the Worker: no external requests.

/** Markup that is already safe: produced by `html` or by the Markdown renderer. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

type Value = Html | string | number | null | undefined | false | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (value instanceof Html) return value.text;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

export interface Layout {
  title: string;
  /** owner/name, for the repository's header and tabs. */
  repo?: string;
  /** The tab to mark: code, commits, branches, tags, activity. */
  tab?: string;
  /** The `at` a page shows, with the event it resolved to and that event's time. */
  past?: { seq: number; at: string | null; nowHref: string };
  /** Query suffix (?at=...) that keeps links in the same moment. */
  keep?: string;
  signedIn?: boolean;
  body: Html;
}

export function page(l: Layout): Response {
  const keep = l.keep ?? "";
  const tabs = l.repo
    ? html`<nav class="tabs">${[
        ["code", `/${l.repo}${keep}`, "Code"],
        ["commits", `/${l.repo}/commits${keep}`, "Commits"],
        ["branches", `/${l.repo}/branches${keep}`, "Branches"],
        ["tags", `/${l.repo}/tags${keep}`, "Tags"],
        ["activity", `/${l.repo}/activity`, "Activity"],
      ].map(([id, href, label]) => html`<a href="${href}"${id === l.tab ? html` class="on" aria-current="page"` : ""}>${label}</a>`)}</nav>`
    : "";
  const banner = l.past
    ? html`<p class="banner" role="status">You are viewing this repository as it was after event ${l.past.seq}${l.past.at ? html` (${l.past.at})` : ""}. <a href="${l.past.nowHref}">See it as it is now</a>.</p>`
    : "";
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${l.title}</title>
<link rel="stylesheet" href="/-/style.css">
<script src="/-/ui.js" defer></script>
</head>
<body>
<header class="top"><a class="home" href="/">git-on-workers</a>${l.repo ? html` / <a href="/${l.repo}">${l.repo}</a>` : ""}<span class="grow"></span>${l.signedIn ? html`<form method="post" action="/-/sign-out"><button>Sign out</button></form>` : ""}</header>
<main>
${tabs}${banner}${l.body}
</main>
</body>
</html>
`;
  return new Response(body.text, { headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff" } });
}

/** A ref or path for a URL: each segment encoded, the slashes kept. */
export function urlPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** A short form of an object id, as git shows it. */
export function short(oid: string): string {
  return oid.slice(0, 7);
}

/** `n` things, the word in the plural unless `n` is 1: "1 file", "2 files". */
export function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A signature's date as a reader wants it: 2024-05-01 12:00. */
export function when(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

/** A size in bytes for a listing. */
export function size(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A path's segments as links to their directories, after the repository's root. */
export function crumbs(repo: string, ref: string, path: string, keep: string): Html {
  const parts = path ? path.split("/") : [];
  const href = (n: number) => `/${repo}/tree/${urlPath(ref)}${n ? `/${urlPath(parts.slice(0, n).join("/"))}` : ""}${keep}`;
  const last = parts.length - 1;
  return html`<p class="crumbs"><a href="${href(0)}">${repo.split("/")[1]}</a> <span class="ref">${ref}</span>${parts.map((p, i) => (i === last ? html` / <strong>${p}</strong>` : html` / <a href="${href(i + 1)}">${p}</a>`))}</p>`;
}
