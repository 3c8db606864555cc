import type { Store } from '../ports.js';

/** Keeps everything in memory for this page only: cookieless mode, and unit tests. */
export function memoryStore(): Store {
  // the SDK's keys all start with spoor_, so a plain object cannot collide with its prototype
  const m: Record<string, string> = {};
  return {
    get: (k) => m[k] ?? null,
    set: (k, v) => void (m[k] = v),
    del: (k) => void delete m[k],
  };
}
