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
        (r) => ({ status: r.status, retryAfter: parseRetryAfter(r.headers.get('retry-after')) }),
        () => ({ status: 0 }),
      ),
    // throws only for a malformed URL, which the tracker reports
    beacon: (url, body) => navigator.sendBeacon(url, body),
  };
}
