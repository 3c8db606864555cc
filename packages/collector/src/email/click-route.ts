import { Hono } from 'hono';
import { RawEventOrigin } from '@spoor/events';
import type { CollectorRouteDeps } from '../http/route-deps.js';
import { CollectorError } from '../http/collector-error.js';
import { refuseIfLimited } from '../rate-limit/refuse-if-limited.js';
import { clientAddress } from '../http/client-address.js';
import { boundedUserAgent, rawEventRecords } from '../produce/log-messages.js';
import { gpcHonoured } from '../http/privacy-signal.js';
import { redirectHostAllowed, siteKeyring } from '../sites/site-registry.js';
import { IDENTITY_TOKEN_PARAM, readToken, signIdentityToken, verifyClickToken } from './link-token.js';
import { emailEvent } from './email-event.js';

/**
 * GET /v1/c?t=<click token>: records `email_click` and redirects (302) to the signed target, but only to a
 * host the site allows, so the endpoint can never serve as an open redirect. The landing URL gets a
 * short-lived identity token (`spoor_it`) the SDK sends back in an `identify`.
 */
export function clickRoute(deps: CollectorRouteDeps & { identityTokenTtlMs: number }): Hono {
  const app = new Hono();
  app.get('/v1/c', async (c) => {
    const clientIp = clientAddress(c, deps.trust);
    refuseIfLimited(deps.metrics, await deps.rateLimits.consumeIp(clientIp), 'ip');
    const refuse = (message: string) => {
      deps.metrics.emailTokensInvalid.inc({ kind: 'click' });
      return new CollectorError('invalid_parameter', message, { parameter: 't' });
    };
    const now = deps.now();
    // The token names its site, whose keys then check it: a site's key never vouches for another site's token.
    const read = readToken(c.req.query('t'));
    if (!read?.siteId) throw refuse('t: click token missing, altered or not signed by this collector');
    let site;
    try {
      site = await deps.sites.byId(read.siteId);
    } catch {
      throw new CollectorError('unavailable', 'site registry unavailable: retry later', { retryAfterSeconds: 5 });
    }
    const token = site && verifyClickToken(read, siteKeyring(site, deps.linkSecrets), now);
    if (!token || !site) throw refuse('t: click token missing, altered, expired, or not signed for an existing site');
    let target: URL;
    try {
      target = new URL(token.targetUrl);
    } catch {
      throw refuse('t: target is not a URL');
    }
    if ((target.protocol !== 'https:' && target.protocol !== 'http:') || !redirectHostAllowed(site, target.hostname)) {
      throw refuse(`t: redirect to ${target.hostname || target.protocol} is not allowed for this site`);
    }
    // GPC on (Sec-GPC: 1, a top-level navigation from the reader's browser): the reader still gets where the link
    // points, but nothing is recorded and no identity token ties this browser to the customer.
    if (gpcHonoured(c, site)) {
      deps.metrics.privacySignalDiscarded.inc({ route: '/v1/c' });
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      return c.redirect(target.toString(), 302);
    }
    const event = emailEvent({
      type: 'email_click',
      customerId: token.customerId,
      campaignId: token.campaignId,
      url: target.toString(),
      now,
      props: { targetUrl: target.toString() },
    });
    if (!event.ok) throw refuse(`t: link does not describe a valid click (${event.error})`);
    refuseIfLimited(deps.metrics, await deps.rateLimits.consumeSite(site.siteId, 1), 'site');
    const userAgent = boundedUserAgent(c.req.header('user-agent'));
    const context = { receivedAt: now, clientIp, userAgent, siteId: site.siteId, collectorId: deps.collectorId, origin: RawEventOrigin.EMAIL_CLICK };
    await deps.producer.send([{ topic: deps.topics.raw, messages: rawEventRecords([{ event: event.value, sentAt: now, context }], deps.ipAnonymisation) }]);
    const landing = new URL(target);
    landing.searchParams.set(
      IDENTITY_TOKEN_PARAM,
      signIdentityToken(
        { siteId: site.siteId, customerId: token.customerId, campaignId: token.campaignId, expiresAt: now + deps.identityTokenTtlMs },
        siteKeyring(site, deps.linkSecrets),
      ),
    );
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(landing.toString(), 302);
  });
  return app;
}
