// Signing in to see private repositories: a form that takes a token, checks it, and keeps it in an
// HttpOnly, Secure, SameSite=Strict cookie (the token never reaches the page's scripts); signing out
// clears it. In open mode nobody needs to.
import type { IRequest } from "itty-router";
import { AuthRequired } from "../../../durable/errors";
import { identify } from "../../auth/caller";
import type { Env } from "../../env";
import { SESSION_COOKIE } from "../data";
import { html, page } from "../html";

/** Where to go after signing in: a path of this site only. */
function nextPath(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

function form(next: string, error?: string): Response {
  const response = page({
    title: "Sign in",
    body: html`<h1>Sign in</h1>${error ? html`<p class="error" role="alert">${error}</p>` : ""}<form class="sign-in" method="post" action="/-/sign-in"><input type="hidden" name="next" value="${next}"><label>Token <input name="token" type="password" autocomplete="current-password" required placeholder="gow_..."></label><button>Sign in</button></form><p class="meta">A token from <code>POST /api/tokens</code>, with read access to the repositories you want to see.</p>`,
  });
  return error ? new Response(response.body, { status: 401, headers: response.headers }) : response;
}

export async function signInPage(req: IRequest): Promise<Response> {
  return form(nextPath(new URL(req.url).searchParams.get("next")));
}

export async function signIn(req: IRequest, env: Env): Promise<Response> {
  const data = await req.formData();
  const token = String(data.get("token") ?? "").trim();
  const next = nextPath(String(data.get("next") ?? "/"));
  try {
    const caller = await identify(new Request(req.url, { headers: { Authorization: `Bearer ${token}` } }), env);
    if (caller.kind !== "token" && caller.kind !== "admin") return form(next, "That is not a token this server knows.");
  } catch (e) {
    if (e instanceof AuthRequired) return form(next, "That token is wrong, expired or revoked.");
    throw e;
  }
  return new Response(null, { status: 303, headers: { Location: next, "Set-Cookie": `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=2592000` } });
}

export async function signOut(): Promise<Response> {
  return new Response(null, { status: 303, headers: { Location: "/", "Set-Cookie": `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0` } });
}
