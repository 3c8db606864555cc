/** Query parameters that may carry personal data or secrets and never leave the page. */
export const DEFAULT_STRIP_PARAMS = ['email', 'token', 'spoor_it'];

/**
 * Removes the given query parameters (case-insensitive) from a URL before it is sent; the URL comes
 * back normalised (as `new URL().href`). An unparseable URL is returned as it was: stripping must never
 * break tracking.
 */
export function stripUrl(url: string, params: string[]): string {
  // no referrer is the common case: an exception (new URL('')) would cost 30 times the stripping
  if (!url) return url;
  try {
    const u = new URL(url);
    const q = u.searchParams;
    [...q.keys()].forEach((k) => params.includes(k.toLowerCase()) && q.delete(k));
    return u.href;
  } catch {
    return url;
  }
}
