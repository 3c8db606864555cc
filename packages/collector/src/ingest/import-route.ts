import { isIP } from 'node:net';
import { Hono } from 'hono';
import { LIMITS, RawEventOrigin, TIME_BOUNDS } from '@spoor/events';
import { importRefusal, type ImportKeyIdentity, type LogMessage } from '@spoor/infra';
import { CollectorError } from '../http/collector-error.js';
import { readLimitedBody } from '../http/read-limited-body.js';
import type { CollectorRouteDeps } from '../http/route-deps.js';
import { boundedUserAgent, deadLetterMessage, rawEventRecords, type AcceptedEvent, type ServerContext } from '../produce/log-messages.js';
import { refuseIfLimited } from '../rate-limit/refuse-if-limited.js';
import { checkEvents, parseBatchBody } from './parse-batch.js';
import { dropVerificationClaims } from './identity-check.js';

/**
 * Who a secret API key is, which sites it may write to and, when the store knows, its scopes: a key with scopes must
 * hold `import` (query-api access/route-permissions.ts declares POST /v1/import so; keys/import-key-authenticator.ts
 * answers them). Without `scopes` (an authenticator from before #18) every key of the site may import, as before.
 */
export type ImportAuthenticator = (apiKey: string) => Promise<ImportKeyIdentity | undefined>;

export interface ImportRouteDeps extends CollectorRouteDeps {
  authenticate: ImportAuthenticator;
  maxBodyBytes: number;
}

/**
 * POST /v1/import?site=<id>: server-to-server import of past events (a backfill, an ESP's opens and clicks,
 * `spoor demo`). A secret API key vouches for the sender, so unlike the browser endpoint the device times are
 * trusted as they are (origin SERVER: the processor does no clock-skew correction) and the server-only email types
 * are allowed. Each event may carry `context: { ip, userAgent }` of the visitor it describes; the collector
 * removes it before validation, and the processor anonymises the IP as always. Same limits, same DLQ, same 202.
 */
export function importRoute(deps: ImportRouteDeps): Hono {
  const app = new Hono();
  app.post('/v1/import', async (c) => {
    const auth = c.req.header('authorization') ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!key || key.length > 200) throw new CollectorError('unauthorized', 'Authorization: send a secret API key as "Bearer <key>"', { parameter: 'Authorization' });
    const siteId = c.req.query('site');
    if (!siteId) throw new CollectorError('invalid_parameter', 'site: missing query parameter', { parameter: 'site' });
    const identity = await authenticateOrUnavailable(deps.authenticate, key);
    if (!identity) throw new CollectorError('unauthorized', 'Authorization: unknown or revoked API key', { parameter: 'Authorization' });
    const refusal = importRefusal(identity, siteId);
    if (refusal) throw new CollectorError('forbidden', refusal.message, { parameter: refusal.parameter });

    const body = await readLimitedBody(c, deps.maxBodyBytes);
    const envelope = parseBatchBody(body);
    refuseIfLimited(deps.metrics, await deps.rateLimits.consumeSite(siteId, envelope.events.length), 'site');
    return c.json(await produce(siteId, envelope.sentAt, envelope.events, body), 202);
  });

  async function produce(siteId: string, sentAt: number, inputs: unknown[], body: Uint8Array) {
    const receivedAt = deps.now();
    const contexts = inputs.map((input) => importContext(input, siteId, receivedAt, deps.collectorId));
    const stripped = inputs.map((input, i) => (contexts[i]!.ok ? withoutContext(input) : input));
    // An import has no landing token to show: a `verifiedBy` it sends is a claim nobody checked, and is dropped.
    const checked = checkEvents(stripped, (event) => dropVerificationClaims(event) ?? importTimeProblem(event.ts, receivedAt), { allowServerOnlyTypes: true });
    const accepted: AcceptedEvent[] = [];
    const deadLetters: LogMessage[] = [];
    const rejected: Array<{ index: number; error: string }> = [];
    for (const item of checked) {
      const context = contexts[item.index]!;
      if (item.ok && context.ok) accepted.push({ event: item.event, sentAt, context: context.value });
      else {
        const error = !context.ok ? context.error : (item as { error: string }).error;
        rejected.push({ index: item.index, error });
        deadLetters.push(deadLetterMessage(new TextEncoder().encode(safeJson(inputs[item.index], body)), error, { siteId, receivedAt }, `import.events[${item.index}]`));
      }
    }
    await deps.producer.send([
      { topic: deps.topics.raw, messages: rawEventRecords(accepted, deps.ipAnonymisation) },
      { topic: deps.topics.deadLetter, messages: deadLetters },
    ]);
    if (accepted.length) deps.metrics.events.inc({ outcome: 'accepted', reason: '' }, accepted.length);
    return { accepted: accepted.length, rejected };
  }

  return app;
}

type ContextResult = { ok: true; value: ServerContext } | { ok: false; error: string };

function importContext(input: unknown, siteId: string, receivedAt: number, collectorId: string): ContextResult {
  const context = input && typeof input === 'object' ? (input as { context?: unknown }).context : undefined;
  // The importing server's own address and user agent describe no visitor (and "node" is on every bot list).
  const base = { receivedAt, siteId, collectorId, origin: RawEventOrigin.SERVER, clientIp: '', userAgent: '' };
  if (context === undefined) return { ok: true, value: base };
  if (!context || typeof context !== 'object') return { ok: false, error: 'context: expected an object { ip?, userAgent? }' };
  const { ip, userAgent } = context as { ip?: unknown; userAgent?: unknown };
  if (ip !== undefined && (typeof ip !== 'string' || !isIP(ip))) return { ok: false, error: 'context.ip: expected an IPv4 or IPv6 address' };
  if (userAgent !== undefined && (typeof userAgent !== 'string' || userAgent.length > LIMITS.maxTextLength)) {
    return { ok: false, error: `context.userAgent: expected a string of at most ${LIMITS.maxTextLength} characters` };
  }
  return { ok: true, value: { ...base, clientIp: ip ?? '', userAgent: boundedUserAgent(userAgent) } };
}

/**
 * An import states true times (no skew correction), so a time outside the window the processor stores is refused here,
 * where the sender learns it: at most TIME_BOUNDS.maxImportBackdateMs back (5 years), not past now + the tolerance.
 */
function importTimeProblem(ts: number, receivedAt: number): string | undefined {
  if (ts < receivedAt - TIME_BOUNDS.maxImportBackdateMs) {
    return `ts: ${new Date(ts).toISOString()} is more than ${TIME_BOUNDS.maxImportBackdateMs / 86_400_000} days before now; /v1/import backfills at most that far`;
  }
  if (ts > receivedAt + TIME_BOUNDS.futureToleranceMs) return `ts: ${new Date(ts).toISOString()} is in the future`;
  return undefined;
}

function withoutContext(input: unknown): unknown {
  if (!input || typeof input !== 'object' || !('context' in input)) return input;
  const { context: _context, ...event } = input as Record<string, unknown>;
  return event;
}

function safeJson(input: unknown, body: Uint8Array): string {
  try {
    return JSON.stringify(input) ?? '';
  } catch {
    return new TextDecoder().decode(body);
  }
}

async function authenticateOrUnavailable(authenticate: ImportAuthenticator, key: string) {
  try {
    return await authenticate(key);
  } catch {
    throw new CollectorError('unavailable', 'API key store unavailable: retry later', { retryAfterSeconds: 5 });
  }
}
