import { Hono } from 'hono';
import { RawEventOrigin } from '@spoor/events';
import type { CollectorRouteDeps } from '../http/route-deps.js';
import { CollectorError } from '../http/collector-error.js';
import { refuseIfLimited } from '../rate-limit/refuse-if-limited.js';
import { clientAddress } from '../http/client-address.js';
import { boundedUserAgent, rawEventRecords } from '../produce/log-messages.js';
import { redirectHostAllowed } from '../sites/site-registry.js';
import { IDENTITY_TOKEN_PARAM, signIdentityToken, verifyClickToken } from './link-token.js';
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
      return new CollectorError('bad_request', message);
    };
    const token = verifyClickToken(c.req.query('t'), deps.linkSecrets);
    if (!token) throw refuse('t: click token missing, altered or not signed by this collector');
    let site;
    try {
      site = await deps.sites.byId(token.siteId);
    } catch {
      throw new CollectorError('sites_unavailable', 'site registry unavailable: retry later', 5);
    }
    if (!site) throw refuse('t: the site of this link no longer exists');
    let target: URL;
    try {
      target = new URL(token.targetUrl);
    } catch {
      throw refuse('t: target is not a URL');
    }
    if ((target.protocol !== 'https:' && target.protocol !== 'http:') || !redirectHostAllowed(site, target.hostname)) {
      throw refuse(`t: redirect to ${target.hostname || target.protocol} is not allowed for this site`);
    }
    const now = deps.now();
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
    await deps.producer.send([{ topic: deps.topics.raw, messages: rawEventRecords([{ event: event.value, sentAt: now, context }]) }]);
    const landing = new URL(target);
    landing.searchParams.set(
      IDENTITY_TOKEN_PARAM,
      signIdentityToken({ siteId: site.siteId, customerId: token.customerId, campaignId: token.campaignId, expiresAt: now + deps.identityTokenTtlMs }, deps.linkSecrets),
    );
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(landing.toString(), 302);
  });
  return app;
}
