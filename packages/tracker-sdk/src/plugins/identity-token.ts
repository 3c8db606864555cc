import { stripUrl } from '../strip-url.js';
import type { Plugin, Tracker } from '../tracker.js';

/**
 * The collector's email click redirect appends a signed identity token to the landing URL
 * (`?spoor_it=<base64url(JSON {k, s: siteId, u: customerId, c: campaignId, exp, j})>.<base64url hmac>`; one browser per token).
 * The SDK decodes the payload without verifying it, identifies the visitor with the token attached as the
 * trait of the same name (`traits.spoor_it`; the collector verifies it and replaces it with
 * `verifiedBy: "email-link"`), and removes the parameter from the address bar so it is not bookmarked,
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
      // the expiry and the signature are the collector's to check; `u` is the customer
      customerId = (JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as { u?: unknown }).u;
    },
    start() {
      if (customerId) t.identify(customerId as string, { [param]: token! });
      customerId = 0;
    },
  };
}
