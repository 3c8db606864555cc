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
  exit?: (code: number) => never;
  log?: (line: string) => void;
}

/**
 * Runs an entry point. A start that fails prints one line per bad setting (`spoor: PORT=8080: already in use`) and
 * exits 1; the stack only with DEBUG=1. A returned number is the exit code; nothing returned leaves the process
 * running (a server, stopped by its signal handlers).
 */
export async function runMain(name: string, main: () => Promise<number | void>, options: RunMainOptions = {}): Promise<void> {
  const debug = options.debug ?? /^(1|true|on|yes)$/i.test(process.env.DEBUG ?? '');
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.error(line));
  let code: number | void;
  try {
    code = await main();
  } catch (err) {
    for (const line of describeStartUpFailure(err)) log(`${name}: ${line}`);
    if (debug && err instanceof Error) log(err.stack ?? String(err));
    exit(1);
    return;
  }
  // Explicit: a finished command must not linger on open handles (chDB, timers of client libraries).
  if (typeof code === 'number') exit(code);
}
