/**
 * Runs an entry point's start-up (and life). A failure is one line on stderr naming what went wrong — for a bad
 * setting, every bad key (ConfigurationError lists them) — and exit code 1; the stack only with DEBUG set, since an
 * operator needs the setting, not our call stack.
 */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    const debug = /^(1|true|on|yes)$/i.test(process.env.DEBUG ?? '');
    const error = err instanceof Error ? err : new Error(String(err));
    console.error(`${name}: ${debug ? (error.stack ?? error.message) : error.message}`);
    process.exit(1);
  });
}
