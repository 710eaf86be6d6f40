// One turn of the event loop: long work in the Durable Object awaits it now and then, so that other
// requests to the repository run in between (an await on a settled promise lets none through).
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
