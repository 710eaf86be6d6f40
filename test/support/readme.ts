// The README's shell examples, as the tests that run them read them: the first ```sh block after a
// heading, with the README's address replaced by the test server's and continued lines joined.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The lines of the first sh block after `heading` (a whole line of the README), for the server at `host`. */
export async function readmeBlock(heading: string, host: string): Promise<string[]> {
  const readme = await readFile(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
  const after = readme.slice(readme.indexOf(`\n${heading}\n`));
  const code = after.slice(after.indexOf("```sh\n") + 6, after.indexOf("\n```", after.indexOf("```sh\n")));
  return code.replaceAll("127.0.0.1:8787", host).replace(/\\\n\s*/g, "").split("\n");
}
