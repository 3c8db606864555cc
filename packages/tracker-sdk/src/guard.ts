/** Wraps every function of an object so an exception goes to `fail` instead of the caller. */
export function guard<T extends object>(api: T, fail: (x: unknown) => void): T {
  const out = {} as Record<string, unknown>;
  for (const [k, f] of Object.entries(api)) {
    out[k] = (...a: unknown[]) => {
      try {
        (f as (...a: unknown[]) => void)(...a);
      } catch (x) {
        fail(x);
      }
    };
  }
  return out as T;
}
