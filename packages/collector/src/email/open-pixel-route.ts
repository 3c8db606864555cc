import { Hono } from 'hono';
import { RawEventOrigin } from '@spoor/events';
import type { CollectorRouteDeps } from '../http/route-deps.js';
import { refuseIfLimited } from '../rate-limit/refuse-if-limited.js';
import { clientAddress } from '../http/client-address.js';
import { boundedUserAgent, rawEventRecords } from '../produce/log-messages.js';
import { gpcHonoured } from '../http/privacy-signal.js';
import { siteKeyring } from '../sites/site-registry.js';
import { readToken, verifyOpenToken } from './link-token.js';
import type { OpenClassifier } from './classify-open.js';
import { emailEvent } from './email-event.js';

/** The smallest transparent 1×1 GIF. */
export const PIXEL_GIF = Uint8Array.from(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));

/**
 * GET /v1/o.gif?t=<open token>: always the pixel, so a broken or forwarded link never shows a broken image.
 * Only a genuine token records an `email_open`; likely machine opens are recorded with `machine: true`.
 */
export function openPixelRoute(deps: CollectorRouteDeps & { classifyOpen: OpenClassifier }): Hono {
  const app = new Hono();
  app.get('/v1/o.gif', async (c) => {
    const clientIp = clientAddress(c, deps.trust);
    refuseIfLimited(deps.metrics, await deps.rateLimits.consumeIp(clientIp), 'ip');
    const now = deps.now();
    // The token names its site, whose keys then check it: a site's key never vouches for another site's token.
    const read = readToken(c.req.query('t'));
    const site = read?.siteId ? await deps.sites.byId(read.siteId).catch(() => undefined) : undefined;
    const token = site && verifyOpenToken(read, siteKeyring(site, deps.linkSecrets), now);
    if (!token || !site) {
      deps.metrics.emailTokensInvalid.inc({ kind: 'open' });
      return pixel();
    }
    // A webmail page in a browser with GPC on sends Sec-GPC with the image request: the open is not recorded.
    if (gpcHonoured(c, site)) {
      deps.metrics.privacySignalDiscarded.inc({ route: '/v1/o.gif' });
      return pixel();
    }
    const userAgent = boundedUserAgent(c.req.header('user-agent'));
    const verdict = deps.classifyOpen({ userAgent, clientIp, issuedAt: token.issuedAt, now });
    const event = emailEvent({
      type: 'email_open',
      customerId: token.customerId,
      campaignId: token.campaignId,
      url: new URL('/v1/o.gif', c.req.url).toString(),
      now,
      props: verdict.machine ? { machine: true, machineReason: verdict.reason } : { machine: false },
    });
    if (!event) {
      deps.metrics.emailTokensInvalid.inc({ kind: 'open' });
      return pixel();
    }
    refuseIfLimited(deps.metrics, await deps.rateLimits.consumeSite(site.siteId, 1), 'site');
    const context = { receivedAt: now, clientIp, userAgent, siteId: site.siteId, collectorId: deps.collectorId, origin: RawEventOrigin.EMAIL_PIXEL };
    await deps.producer.send([{ topic: deps.topics.raw, messages: rawEventRecords([{ event, sentAt: now, context }], deps.ipAnonymisation) }]);
    deps.metrics.emailOpens.inc({ machine: String(verdict.machine) });
    return pixel();
  });
  return app;
}

function pixel(): Response {
  return new Response(PIXEL_GIF, {
    status: 200,
    headers: {
      'Content-Type': 'image/gif',
      'Content-Length': String(PIXEL_GIF.byteLength),
      'Cache-Control': 'no-store, no-cache, must-revalidate, private',
      Pragma: 'no-cache',
    },
  });
}
