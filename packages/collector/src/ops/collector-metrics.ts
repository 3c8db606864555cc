import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one collector; a registry per app so several apps in one process (tests) stay apart. */
export function createCollectorMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'spoor_collector_' });
  const metrics = {
    registry,
    requests: new Counter({
      name: 'spoor_collector_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: 'spoor_collector_events_total',
      help: 'Events accepted or rejected; reason is the top-level field that failed validation',
      labelNames: ['outcome', 'reason'] as const,
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'spoor_collector_produce_seconds',
      help: 'Time from handing a coalesced batch to the event log until it was acknowledged',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    produceBatchMessages: new Histogram({
      name: 'spoor_collector_produce_batch_messages',
      help: 'Messages per send to the event log (how well concurrent requests coalesce)',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    }),
    inFlightBytes: new Gauge({
      name: 'spoor_collector_in_flight_bytes',
      help: 'Bytes accepted from clients and waiting for the event log to acknowledge them',
      registers: [registry],
    }),
    emailTokensInvalid: new Counter({
      name: 'spoor_collector_email_tokens_invalid_total',
      help: 'Open pixels and clicks with a missing, tampered or off-allowlist token (nothing was recorded)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    emailOpens: new Counter({
      name: 'spoor_collector_email_opens_total',
      help: 'Recorded email opens, split into likely human and likely machine opens',
      labelNames: ['machine'] as const,
      registers: [registry],
    }),
    privacySignalDiscarded: new Counter({
      name: 'spoor_collector_privacy_signal_discarded_total',
      help: 'Requests answered without storing anything because they carried Sec-GPC: 1 for a site that honours it, by route',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'spoor_collector_rate_limited_total',
      help: 'Requests refused with 429, by limit',
      labelNames: ['limit'] as const,
      registers: [registry],
    }),
  };
  return {
    ...metrics,
    /** Pass as CoalescingProducerOptions.onSend so produce latency and coalescing show up here. */
    observeSend(info: { ms: number; messages: number; ok: boolean }) {
      metrics.produceSeconds.observe({ result: info.ok ? 'ok' : 'error' }, info.ms / 1000);
      metrics.produceBatchMessages.observe(info.messages);
    },
  };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;

const REASON_FIELDS = new Set(['id', 'ts', 'type', 'anonymousId', 'sessionId', 'customerId', 'url', 'referrer', 'title', 'visitNumber', 'props']);
/** Label value for a rejection: the top-level field the message starts with, from a fixed list so cardinality stays bounded. */
export function rejectionReason(error: string): string {
  if (error.startsWith('(root)')) return 'root';
  const field = /^[A-Za-z]+/.exec(error)?.[0] ?? '';
  return REASON_FIELDS.has(field) ? field : 'other';
}
