// A README rendered from Markdown with `marked`, raw HTML in it shown as text (escaped), never run:
// a repository's files are not trusted markup. Links keep only http(s), mailto and relative targets.
import { Marked } from "marked";
import { escapeHtml, Html } from "./html";

const SAFE_URL = /^(https?:|mailto:|#|\/|\.|[^:]*$)/i;

const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      if (!SAFE_URL.test(href)) return text;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""} rel="nofollow">${text}</a>`;
    },
    image({ href, title, text }) {
      if (!SAFE_URL.test(href)) return escapeHtml(text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ""}>`;
    },
  },
});

export function markdown(source: string): Html {
  return new Html(marked.parse(source, { async: false }) as string);
}
