// Undo actions of the benchmark (stop servers, remove temp dirs), run once, newest first, at the end,
// on an error, or on Ctrl-C / SIGTERM.
export class Cleanup {
  private readonly actions: (() => Promise<void>)[] = [];
  private running: Promise<void> | undefined;
  /** Set on SIGINT/SIGTERM: what fails from then on is the interruption, not a finding. */
  interrupted = false;

  add(action: () => Promise<void>): void {
    this.actions.push(action);
  }

  /** Runs every action once, even if some fail; later calls wait for the first. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const action of this.actions.reverse()) {
        await action().catch((error: Error) => console.error(`cleanup: ${error.message}`));
      }
    })();
    return this.running;
  }

  /** On SIGINT/SIGTERM: clean up, then exit with 128 + the signal's number. */
  onSignals(): void {
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
      process.once(signal, () => {
        this.interrupted = true;
        console.error(`\n${signal}: stopping the servers and removing temp dirs...`);
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
