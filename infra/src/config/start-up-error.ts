import { ConfigurationError } from './parse-config.js';

/**
 * A start that cannot go on because of one setting: the setting, its value and the problem. Adapters opening at
 * start (open-adapters.ts) translate what their clients throw into this, so the operator reads which variable to fix
 * instead of a client library's stack.
 */
export class StartUpError extends Error {
  constructor(
    readonly key: string,
    readonly value: string | undefined,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${key}=${value ?? '(unset)'}: ${problem}`, options);
    this.name = 'StartUpError';
  }
}

/** The lines an operator sees for an error that ended a start: one per bad setting, no stack. */
export function describeStartUpFailure(err: unknown): string[] {
  if (err instanceof ConfigurationError) return err.issues.map((i) => `${i.key}=${i.value === undefined ? '(unset)' : i.value}: ${i.accepted}`);
  if (err instanceof StartUpError) return [err.message];
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { port, address } = err as NodeJS.ErrnoException & { port?: number; address?: string };
    if (code === 'EADDRNOTAVAIL') return [`HOST=${address ?? '?'}: not an address of this machine`];
    return [`PORT=${port ?? '?'}: ${code === 'EADDRINUSE' ? 'already in use' : 'not allowed (ports below 1024 need privileges)'}`];
  }
  return [err instanceof Error ? err.message.split('\n')[0]! : String(err)];
}

export interface RunMainOptions {
  /** Print stack traces too (DEBUG=1 in the environment). */
  debug?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs an entry point. A start that fails prints one line per bad setting (`spoor start: PORT=8080: already in use`)
 * and exits 1; the stack only with DEBUG=1 (an operator needs the setting, not our call stack). A returned number
 * is the exit code; anything else leaves the process running (a server, stopped by its signal handlers).
 */
export function runMain(name: string, main: () => Promise<unknown>, options: RunMainOptions = {}): void {
  void runStartUp(name, main, options).then((code) => {
    // Explicit: a finished command must not linger on open handles (chDB, timers of client libraries).
    if (code !== undefined) process.exit(code);
  });
}

/** runMain without the exit: resolves with the exit code (1 after a failure), or undefined while the entry point runs on. */
export async function runStartUp(name: string, main: () => Promise<unknown>, options: RunMainOptions = {}): Promise<number | undefined> {
  const debug = options.debug ?? /^(1|true|on|yes)$/i.test(process.env.DEBUG ?? '');
  const log = options.log ?? ((line: string) => console.error(line));
  try {
    const code = await main();
    return typeof code === 'number' ? code : undefined;
  } catch (err) {
    for (const line of describeStartUpFailure(err)) log(`${name}: ${line}`);
    if (debug && err instanceof Error) log(err.stack ?? String(err));
    return 1;
  }
}
