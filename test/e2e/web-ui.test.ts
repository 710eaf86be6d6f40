// The web UI in a real browser (Debian's chromium, driven by playwright-core) against the worker in
// token mode: a private repository answers a page that asks to sign in; signing in with a token keeps
// it in an HttpOnly cookie; then from the home page (README rendered, its raw HTML shown as text) to a
// directory, a file, its history and a commit with its diff; the branches, tags and activity pages;
// and the activity's "before this" link of a force-push shows the tree as it was before it. Each page
// is saved as a screenshot in the test's temp folder (and in $UI_SHOTS when set).
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git } from "../../bench/harness/git";
import { startWorker, type RunningServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { commitFile } from "../support/fixtures";
import { targetName } from "../support/target";

const ADMIN = "ui-e2e-admin";
/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

let server: RunningServer;
let root: TmpDir;
let browser: Browser;
let shot = 0;

beforeAll(async () => {
  if (targetName() !== "worker") return;
  root = await tmpDir("web-ui-");
  [server, browser] = await Promise.all([
    startWorker({ vars: { AUTH_MODE: "token", ADMIN_TOKEN: ADMIN } }),
    chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await root?.cleanup();
});

async function screenshot(page: Page, name: string): Promise<void> {
  const file = join(root.path, `${String(++shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UI_SHOTS) {
    await mkdir(process.env.UI_SHOTS, { recursive: true });
    await copyFile(file, join(process.env.UI_SHOTS, `${String(shot).padStart(2, "0")}-${name}.png`));
  }
}

describe.skipIf(targetName() !== "worker")("the web UI in Chromium", () => {
  it("signs in, browses from home to a commit, and shows the tree from before a force-push", async () => {
    const host = new URL(server.url).host;
    const url = `http://x:${ADMIN}@${host}/alice/site.git`;
    const work = join(root.path, "work");
    await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
    await commitFile(work, "README.md", "# Site\n\nA *demo* repository.\n\n<script>alert(1)</script>\n", "Add the README");
    await mkdir(join(work, "docs/guide"), { recursive: true });
    await commitFile(work, "docs/guide/intro.md", "Intro\nline two\n", "Write the guide");
    await writeFile(join(work, "logo.png"), PNG);
    await git(["add", "logo.png"], { cwd: work });
    await git(["commit", "--quiet", "-m", "Add the logo"], { cwd: work });
    await commitFile(work, "docs/guide/intro.md", "Intro\nline two, edited\nline three\n", "Edit the guide");
    await commitFile(work, "docs/lost.md", "This file is lost by the force-push.\n", "Add a page that will be lost");
    await git(["tag", "v1"], { cwd: work });
    await git(["push", "--quiet", url, "main", "v1"], { cwd: work });
    const mint = await fetch(`${server.url}/api/tokens`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ name: "reader", repos: ["alice/*"], scopes: ["read"] }) });
    const { token } = (await mint.json()) as { token: string };

    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    // Private: without a session the page does not show the repository, and offers to sign in.
    const denied = await page.goto(`${server.url}/alice/site`);
    expect(denied?.status()).toBe(404);
    await screenshot(page, "private");
    await page.click("text=sign in");
    await page.fill("input[name=token]", token);
    await page.click("button:has-text('Sign in')");
    await page.goto(`${server.url}/alice/site`);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "gow_session")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict" });

    // Home: the README rendered, its raw HTML as text; the clone URL.
    await expect.poll(() => page.textContent("h1")).toBe("Site");
    expect(await page.textContent(".readme")).toContain("<script>alert(1)</script>");
    expect(await page.locator(".readme em").textContent()).toBe("demo");
    expect(await page.inputValue("#clone-url")).toBe(`${server.url}/alice/site.git`);
    await screenshot(page, "home");

    // Directory, file, its history, a commit.
    await page.click("a:text-is('docs')");
    await page.click("a:text-is('guide')");
    await screenshot(page, "directory");
    await page.click("a:text-is('intro.md')");
    expect(await page.locator("table.code tr").count()).toBe(3);
    expect(await page.textContent("#L2")).toContain("line two, edited");
    await screenshot(page, "file");
    await page.click("a:text-is('History')");
    expect(await page.locator("ol.commits li").allTextContents()).toEqual([expect.stringContaining("Edit the guide"), expect.stringContaining("Write the guide")]);
    await screenshot(page, "history");
    await page.click("a:text-is('Edit the guide')");
    expect(await page.textContent(".patch")).toContain("+line two, edited");
    expect(await page.textContent(".stats")).toContain("1 file changed, 2 additions, 1 deletion");
    await screenshot(page, "commit");

    await page.goto(`${server.url}/alice/site/blob/main/logo.png`);
    expect(await page.locator(".image img").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    await page.goto(`${server.url}/alice/site/branches`);
    expect(await page.textContent("table.list")).toContain("default");
    await screenshot(page, "branches");
    await page.goto(`${server.url}/alice/site/tags`);
    expect(await page.textContent("table.list")).toContain("v1");

    // A force-push drops the last commit; the activity links to the tree from before it.
    await git(["push", "--quiet", "--force", url, "main~1:main"], { cwd: work });
    await page.goto(`${server.url}/alice/site/tree/main/docs`);
    expect(await page.textContent("table.list")).not.toContain("lost.md");
    await page.goto(`${server.url}/alice/site/activity`);
    expect(await page.locator("li.event").first().textContent()).toMatch(/force\s+main by admin/);
    await screenshot(page, "activity");
    await page.locator("li.event").first().locator("a:text-is('Before this')").click();
    await page.click("a:text-is('docs')");
    expect(await page.textContent("table.list")).toContain("lost.md");
    expect(await page.textContent(".banner")).toMatch(/as it was after event 2/);
    await screenshot(page, "before-force-push");
    await page.goto(`${server.url}/alice/site/activity`);
    await page.locator("li.event").first().locator("a:text-is('Commits it dropped')").click();
    expect(await page.textContent("ol.commits")).toContain("Add a page that will be lost");

    // On a phone's width the page still reads.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${server.url}/alice/site`);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "home-phone");
  });
});
