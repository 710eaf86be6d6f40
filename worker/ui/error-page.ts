// A refusal or a failure of a page, as a page: what happened, and what to do (sign in for a
// repository that may be private, go back to the repository for a missing path).
import { describe, describeLine } from "../../durable/errors";
import { html, page } from "./html";

export function uiErrorResponse(e: unknown): Response {
  const { error } = describe(e);
  const { status, line: what } = describeLine(e);
  const advice =
    status === 404 || status === 401
      ? html`<p>If the repository is private, <a href="/-/sign-in">sign in</a> with a token that may read it.</p>`
      : status >= 500
        ? html`<p>Something went wrong on the server. Try again; if it persists, the server's log has the request id.</p>`
        : "";
  const response = page({ title: `${status} · ${error}`, body: html`<h1>${status === 404 ? "Not found" : status === 401 ? "Sign-in needed" : "This page cannot be shown"}</h1><p class="error">${what}</p>${advice}` });
  return new Response(response.body, { status, headers: response.headers });
}
