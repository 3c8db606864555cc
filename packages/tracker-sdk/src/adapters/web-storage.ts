import type { Store } from '../ports.js';
import { memoryStore } from './memory-store.js';

/**
 * localStorage when the browser lets us use it (reading the property throws in some private modes and
 * sandboxed frames), else `fallback`. A full quota must never throw into the page: the write is skipped.
 */
export function localStore(fallback: () => Store = memoryStore): Store {
  try {
    const ls = localStorage;
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => {
        try {
          ls.setItem(k, v);
        } catch {
          // quota exceeded: keep running without persisting this value
        }
      },
      del: (k) => ls.removeItem(k),
    };
  } catch {
    return fallback();
  }
}

/**
 * First-party cookies on the current host, kept 400 days (ids only: cookies are too small for the
 * outbox). Browsers default cookies without a SameSite attribute to Lax.
 */
export function cookieStore(): Store {
  const set = (k: string, v: string, age: number) => {
    document.cookie = k + '=' + encodeURIComponent(v) + ';path=/;max-age=' + age;
  };
  return {
    get: (k) => {
      const m = document.cookie.match('(^|; )' + k + '=([^;]*)');
      return m ? decodeURIComponent(m[2]!) : null;
    },
    set: (k, v) => set(k, v, 3456e4),
    del: (k) => set(k, '', 0),
  };
}
