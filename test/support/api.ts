// The repository API as the end-to-end tests call it: its base URL for a repository URL, and GETs of JSON.
import { expect } from "vitest";

/** http://host/alice/name.git → http://host/api/repos/alice/name */
export function apiBase(repoUrl: string): string {
  const url = new URL(repoUrl);
  return `${url.origin}/api/repos${url.pathname.replace(/\.git$/, "")}`;
}

export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  expect(res.status, `GET ${url}`).toBe(200);
  return res.json();
}
