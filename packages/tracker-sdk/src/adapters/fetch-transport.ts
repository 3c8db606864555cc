import { parseRetryAfter } from '../backoff.js';
import type { Transport } from '../ports.js';

/**
 * fetch with keepalive for normal sends, navigator.sendBeacon for a page that is going away. Both
 * send a string body, i.e. text/plain, a CORS "simple" request without cookies, so no preflight doubles the request count; the collector
 * parses the JSON regardless of the content type. A network failure resolves as status 0.
 * Reading Retry-After cross-origin needs `Access-Control-Expose-Headers: Retry-After` from the collector.
 */
export function fetchTransport(): Transport {
  return {
    post: (url, body, keepalive) =>
      fetch(url, { method: 'POST', body, keepalive }).then(
        (r) =>
          r
            .json()
            .catch(() => ({}))
            .then((j) => ({ status: r.status, retryAfter: parseRetryAfter(r.headers.get('retry-after'), Date.now()), rejected: j && j.rejected })),
        () => ({ status: 0 }),
      ),
    beacon: (url, body) => {
      try {
        return navigator.sendBeacon(url, body);
      } catch {
        return false;
      }
    },
  };
}
