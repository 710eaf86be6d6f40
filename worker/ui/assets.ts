// The UI's stylesheet and script, served by the Worker itself (no fonts, scripts or styles from
// elsewhere): plain, readable on a phone, and the one behaviour a page needs (copying the clone URL).

export const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; --link: #0969da; --add: #1a7f37; --del: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --soft: #151b23; --link: #4493f8; --add: #3fb950; --del: #f85149; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { display: flex; gap: .4em; align-items: center; padding: .6em 1em; border-bottom: 1px solid var(--line); background: var(--soft); flex-wrap: wrap; }
header.top .home { font-weight: 600; } header.top .grow { flex: 1; }
main { max-width: 1100px; margin: 0 auto; padding: 1em; }
nav.tabs { display: flex; gap: 1em; border-bottom: 1px solid var(--line); margin-bottom: 1em; overflow-x: auto; }
nav.tabs a { padding: .4em 0; color: var(--fg); border-bottom: 2px solid transparent; white-space: nowrap; }
nav.tabs a.on { border-color: #fd8c73; font-weight: 600; }
.banner { background: #fff8c5; color: #3b2300; border: 1px solid #d4a72c; padding: .6em 1em; border-radius: 6px; }
.banner a { color: #0550ae; }
table.list, table.code { width: 100%; border-collapse: collapse; border: 1px solid var(--line); border-radius: 6px; }
table.list td { padding: .4em .6em; border-top: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.num { text-align: right; color: var(--muted); white-space: nowrap; } td.icon { width: 1.6em; }
td.icon::before { content: ""; display: inline-block; width: .85em; height: 1em; border: 1.5px solid var(--muted); border-radius: 2px; vertical-align: -.1em; }
td.icon.tree::before { width: 1em; height: .75em; background: #54aeff; border-color: #54aeff; } td.icon.commit::before { border-style: dashed; }
table.code td { padding: 0 .6em; } table.code pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
td.ln { width: 1%; text-align: right; user-select: none; } td.ln a { color: var(--muted); }
tr:target { background: #fff8c540; }
.readme { border: 1px solid var(--line); border-radius: 6px; padding: 0 1.2em 1em; margin-top: 1.2em; overflow-wrap: anywhere; }
.readme h2:first-child { font-size: .9em; color: var(--muted); border-bottom: 1px solid var(--line); padding: .6em 0; }
.readme img { max-width: 100%; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
pre { background: var(--soft); padding: .8em; border-radius: 6px; overflow-x: auto; }
.clone input { width: min(36em, 70vw); font: inherit; padding: .2em .4em; }
.meta, .last, .by, .seq { color: var(--muted); }
.crumbs { font-size: 1.1em; } .ref { color: var(--muted); font-size: .85em; border: 1px solid var(--line); border-radius: 1em; padding: 0 .5em; }
ol.commits, ol.timeline { list-style: none; padding: 0; border: 1px solid var(--line); border-radius: 6px; }
ol.commits li, ol.timeline li { padding: .5em .8em; border-top: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: .2em 1em; }
ol.commits li:first-child, ol.timeline li:first-child { border-top: 0; }
ol.commits .summary { flex: 1 1 20em; font-weight: 500; } ol.commits .oid { font-family: ui-monospace, monospace; }
ol.timeline li { display: block; } .kind { font-weight: 600; text-transform: uppercase; font-size: .75em; padding: .1em .5em; border-radius: 1em; background: var(--soft); border: 1px solid var(--line); }
.event.force .kind, .event.delete .kind { color: var(--del); } .event.create .kind { color: var(--add); }
.tag { font-size: .75em; border: 1px solid var(--line); border-radius: 1em; padding: 0 .5em; color: var(--muted); }
.file { border: 1px solid var(--line); border-radius: 6px; margin: 1em 0; } .file h3 { margin: 0; padding: .5em .8em; font-size: .95em; background: var(--soft); overflow-wrap: anywhere; }
.file pre.patch { margin: 0; border-radius: 0 0 6px 6px; } .patch .add, .counts .add, .stats .add { color: var(--add); } .patch .del, .counts .del, .stats .del { color: var(--del); } .patch .hunk { color: var(--muted); }
.status { font-size: .75em; text-transform: uppercase; color: var(--muted); }
.error { color: var(--del); }
form.filter, form.sign-in { display: flex; gap: .5em; flex-wrap: wrap; margin: 1em 0; } form.sign-in label { display: flex; gap: .5em; align-items: center; }
input, button { font: inherit; padding: .25em .6em; }
.image img { max-width: 100%; border: 1px solid var(--line); }
.pager a { margin-right: 1em; }
`;

export const SCRIPT = `
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  input.select();
  navigator.clipboard?.writeText(input.value).then(() => { button.textContent = "Copied"; }, () => {});
});
`;

export function asset(body: string, type: string): Response {
  return new Response(body, { headers: { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "public, max-age=3600" } });
}
