import { availableParallelism } from 'node:os';
import { PasswordHashingBusyError } from './account-errors.js';

/**
 * A bound on concurrent password hashing. Each scrypt takes tens of milliseconds of a libuv thread and 32 MiB; a
 * flood of sign-ins (valid or not) would otherwise take every thread from the rest of the server (file I/O,
 * ClickHouse's client, zlib). At most `concurrent` hashes run, `queued` wait; beyond that a sign-in is refused at
 * once with 503 and Retry-After (PasswordHashingBusyError) instead of queueing without bound.
 */
export interface HashingGateOptions {
  /** Default: half the cores, at least 1. */
  concurrent?: number;
  /** Default: 32. */
  queued?: number;
}

export type HashingGate = <T>(work: () => Promise<T>) => Promise<T>;

export function createHashingGate({ concurrent = Math.max(1, Math.floor(availableParallelism() / 2)), queued = 32 }: HashingGateOptions = {}): HashingGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (work) => {
    if (running >= concurrent) {
      if (waiting.length >= queued) throw new PasswordHashingBusyError();
      // The slot is handed over by release(): `running` stays counted for the waiter.
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}
