// How every bench script ends: its exit code (0 when `main` returns nothing), or the error's stack and 1.
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: Error) => {
      console.error(error.stack ?? error);
      process.exit(1);
    },
  );
}
