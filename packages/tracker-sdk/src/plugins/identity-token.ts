import { stripUrl } from '../strip-url.js';
import type { Plugin, Tracker } from '../tracker.js';

/**
 * The collector's email click redirect appends a signed identity token to the landing URL
 * (`?spoor_it=<base64url(JSON {c: customerId, s: siteId, e: expiryMs})>.<base64url hmac>`).
 * The SDK decodes the payload without verifying it (the server does), identifies the visitor with the
 * token attached as a trait, and removes the parameter from the address bar so it is not bookmarked,
 * shared or sent again.
 */
export function identityToken(param = 'spoor_it'): Plugin {
  let token: string | null;
  let customerId: unknown;
  let t: Tracker;
  return {
    setup(tracker) {
      t = tracker;
      token = new URLSearchParams(location.search).get(param);
      if (!token) return;
      history.replaceState(history.state, '', stripUrl(location.href, [param]));
      // the expiry and the signature are the collector's to check. The customer is `c` in the agreed
      // payload; the collector branch currently signs {k, s, u: customer, c: campaign, exp}, so `u` wins
      const p = JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/')));
      customerId = p.u || p.c;
    },
    start() {
      if (customerId) t.identify(customerId as string, { identityToken: token! });
      customerId = 0;
    },
  };
}
