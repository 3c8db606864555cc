import { Hono, type Context } from 'hono';
import { identifierProblem, LIMITS, RawEventOrigin, type ClientEvent } from '@spoor/events';
import type { LogMessage } from '@spoor/infra';
import type { CollectorRouteDeps } from '../http/route-deps.js';
import { CollectorError } from '../http/collector-error.js';
import { refuseIfLimited } from '../rate-limit/refuse-if-limited.js';
import { clientAddress } from '../http/client-address.js';
import { readLimitedBody } from '../http/read-limited-body.js';
import { boundedUserAgent, deadLetterMessage, rawEventRecords, type AcceptedEvent, type ServerContext } from '../produce/log-messages.js';
import { rejectionReason } from '../ops/collector-metrics.js';
import type { KeyValue } from '@spoor/infra';
import { gpcHonoured } from '../http/privacy-signal.js';
import { originAllowed, siteKeyring, type Site, type SiteRegistry } from '../sites/site-registry.js';
import { checkEvents, parseBatchBody } from './parse-batch.js';
import { bindIdentityTokens, checkIdentityToken, type PendingBinding } from './identity-check.js';

export interface EventsRouteDeps extends CollectorRouteDeps {
  maxBodyBytes?: number;
  /** Where identity tokens are bound to the first anonymous id presenting them (see identity-check.ts). */
  identityBindings: KeyValue;
}

const ACCEPTED_TYPES = new Set(['application/json', 'text/plain', '']);

/** POST /v1/events (and its CORS preflight): a batch from the tracker SDK. */
export function eventsRoute(deps: EventsRouteDeps): Hono {
  const app = new Hono();
  const maxBodyBytes = deps.maxBodyBytes ?? LIMITS.maxBatchBytes;

  app.options('/v1/events', async (c) => {
    const origin = c.req.header('origin');
    const key = c.req.query('key');
    // With the key in the query the site is known and a foreign origin is refused here already;
    // without it the origin is checked again on the POST, once the body names the site.
    if (origin && key) {
      const site = await findSite(deps.sites, key);
      if (site && !originAllowed(site, origin)) return c.body(null, 403);
    }
    if (origin) allowOrigin(c, origin);
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });

  app.post('/v1/events', async (c) => {
    const origin = c.req.header('origin');
    // Every answer is readable by the page, the 403 of a refused origin too: CORS protects what a page may read, not
    // what it may send (the batch arrived either way and the refusal is decided here), the answer names nothing but the
    // page's own origin and no credentials are allowed — and an unreadable 403 reaches the shop's developer as an
    // opaque "blocked by CORS policy", which the SDK cannot tell from a network failure and retries without end.
    if (origin) allowOrigin(c, origin);
    return await ingest(c);
  });

  async function ingest(c: Context): Promise<Response> {
    const clientIp = clientAddress(c, deps.trust);
    // The per-IP check runs while the body is read (both are bounded); its answer is awaited before anything is produced.
    const ipCheck = deps.rateLimits.consumeIp(clientIp);
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.has(mediaType)) {
      throw new CollectorError('unsupported_media_type', `Content-Type: "${mediaType}" not accepted, send application/json or text/plain`, { parameter: 'Content-Type' });
    }
    // A key in the query lets an unknown site be refused before its body is read.
    const queryKey = c.req.query('key');
    let site = queryKey ? await requireSite(queryKey) : undefined;
    const body = await readLimitedBody(c, maxBodyBytes);
    const envelope = parseBatchBody(body);
    if (!site) {
      if (!envelope.writeKey) throw new CollectorError('unauthorized', 'writeKey: missing, send it in the body or the key query parameter', { parameter: 'writeKey' });
      site = await requireSite(envelope.writeKey);
    }
    const origin = c.req.header('origin');
    if (origin && !originAllowed(site, origin)) throw new CollectorError('forbidden', `Origin: ${origin.slice(0, 200)} is not allowed for this site`, { parameter: 'Origin' });
    // Global Privacy Control: nothing of this batch is stored, not even in the dead-letter topic. A 2xx, so the SDK
    // drops the batch instead of retrying it; `accepted: 0` says that nothing was kept.
    if (gpcHonoured(c, site)) {
      refuseIfLimited(deps.metrics, await ipCheck, 'ip');
      deps.metrics.privacySignalDiscarded.inc({ route: '/v1/events' });
      return c.json({ accepted: 0, rejected: [], discarded: envelope.events.length, reason: 'Sec-GPC: 1 (Global Privacy Control) is honoured for this site' }, 202);
    }
    const [ipDecision, siteDecision] = await Promise.all([ipCheck, deps.rateLimits.consumeSite(site.siteId, envelope.events.length)]);
    refuseIfLimited(deps.metrics, ipDecision, 'ip');
    refuseIfLimited(deps.metrics, siteDecision, 'site');

    const now = deps.now();
    const context: ServerContext = {
      receivedAt: now,
      clientIp,
      userAgent: boundedUserAgent(c.req.header('user-agent')),
      siteId: site.siteId,
      collectorId: deps.collectorId,
      origin: RawEventOrigin.BROWSER,
    };
    const siteId = site.siteId;
    const keys = siteKeyring(site, deps.linkSecrets);
    const pending = new Map<ClientEvent, PendingBinding>();
    const checked = await bindIdentityTokens(
      checkEvents(envelope.events, (event) => checkIdentityToken(event, siteId, keys, now, pending)),
      pending,
      siteId,
      deps.identityBindings,
      now,
    );
    const accepted: AcceptedEvent[] = [];
    const deadLetters: LogMessage[] = [];
    const rejected: Array<{ index: number; error: string }> = [];
    for (const item of checked) {
      if (item.ok) {
        accepted.push({ event: item.event, sentAt: envelope.sentAt, context });
      } else {
        rejected.push({ index: item.index, error: item.error });
        deadLetters.push(deadLetterMessage(originalBytes(item.original, body), item.error, context, `events[${item.index}]`));
      }
    }
    await deps.producer.send([
      { topic: deps.topics.raw, messages: rawEventRecords(accepted, deps.ipAnonymisation) },
      { topic: deps.topics.deadLetter, messages: deadLetters },
    ]);
    if (accepted.length) deps.metrics.events.inc({ outcome: 'accepted', reason: '' }, accepted.length);
    for (const r of rejected) deps.metrics.events.inc({ outcome: 'rejected', reason: rejectionReason(r.error) });
    return c.json({ accepted: accepted.length, rejected }, 202);
  }

  async function requireSite(writeKey: string): Promise<Site> {
    const site = await findSite(deps.sites, writeKey);
    if (!site) throw new CollectorError('unauthorized', 'writeKey: unknown write key', { parameter: 'writeKey' });
    return site;
  }

  return app;
}

async function findSite(sites: SiteRegistry, writeKey: string): Promise<Site | undefined> {
  // A key no site can have (too long, or holding what the string policy forbids) is unknown without asking the store.
  if (writeKey.length > LIMITS.maxIdLength || identifierProblem(writeKey)) return undefined;
  try {
    return await sites.byWriteKey(writeKey);
  } catch {
    throw new CollectorError('unavailable', 'site registry unavailable: retry later', { retryAfterSeconds: 5 });
  }
}

function allowOrigin(c: Context, origin: string) {
  c.header('Access-Control-Allow-Origin', origin);
  // Without this a cross-origin script cannot read Retry-After on a 429/503, and the SDK backs off blind.
  c.header('Access-Control-Expose-Headers', 'Retry-After');
  c.header('Vary', 'Origin');
}

const encoder = new TextEncoder();
/**
 * The event as the client sent it, re-serialised from the parsed JSON (same values, same order). An event
 * too deeply nested to serialise falls back to the whole request body, which certainly is original.
 */
function originalBytes(original: unknown, body: Uint8Array): Uint8Array {
  try {
    const text = JSON.stringify(original);
    return text === undefined ? body : encoder.encode(text);
  } catch {
    return body;
  }
}
