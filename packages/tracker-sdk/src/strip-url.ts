/** Query parameters that may carry personal data or secrets and never leave the page. */
export const DEFAULT_STRIP_PARAMS = ['email', 'token', 'password', 'spoor_it'];

/**
 * Removes the given query parameters (case-insensitive) from a URL before it is sent. An
 * unparseable URL is returned as it was: stripping must never break tracking.
 */
export function stripUrl(url: string, params: string[]): string {
  try {
    const u = new URL(url);
    const q = u.searchParams;
    const before = u.search;
    [...q.keys()].forEach((k) => params.includes(k.toLowerCase()) && q.delete(k));
    return u.search == before ? url : u.href;
  } catch {
    return url;
  }
}
