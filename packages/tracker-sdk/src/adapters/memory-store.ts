import type { Store } from '../ports.js';

/** Keeps everything in memory for this page only: cookieless mode, and unit tests. */
export function memoryStore(): Store {
  const m = new Map<string, string>();
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => void m.set(k, v),
    del: (k) => void m.delete(k),
  };
}
