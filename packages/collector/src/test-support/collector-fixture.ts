import { randomUUID } from 'node:crypto';
import { createMemoryKeyValue } from '@spoor/infra';
import type { EventLogProducer, LogMessage } from '@spoor/infra';
import { createCollector, type CollectorDeps } from '../create-collector.js';
import { createCoalescingProducer, type CoalescingProducer } from '../produce/coalescing-producer.js';
import { createStaticSiteRegistry } from '../sites/file-site-registry.js';
import type { Site } from '../sites/site-registry.js';

/** Shared by the collector's tests: two sites, a signing secret and event builders. */
export const SECRETS = ['test-secret-0123456789-abcdefghijklmnop'];

export const SHOP: Site = {
  siteId: 'shop',
  name: 'Shop',
  writeKey: 'wk_shop_0123456789',
  allowedOrigins: ['https://shop.example'],
  allowedRedirectHosts: ['shop.example', '*.cdn.shop.example'],
};
export const OTHER: Site = {
  siteId: 'other',
  name: 'Other',
  writeKey: 'wk_other_0123456789',
  allowedOrigins: ['*'],
  allowedRedirectHosts: ['other.example'],
};

export const TS = 1_763_800_000_000;

export function pageView(overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), type: 'page_view', ts: TS, anonymousId: 'anon-1', sessionId: 'sess-1', url: 'https://shop.example/', ...overrides };
}

export function batch(events: unknown[], extra: Record<string, unknown> = {}) {
  return { writeKey: SHOP.writeKey, sentAt: TS + 1000, events, ...extra };
}

/** An EventLogProducer in memory (a unit-test adapter of our own port), which can be told to fail. */
export function memoryLogProducer() {
  const sent: Array<{ topic: string; messages: LogMessage[] }> = [];
  const state = { failing: false, delayMs: 0, sends: 0, concurrent: 0, maxConcurrent: 0 };
  const producer: EventLogProducer = {
    async send(topic, messages) {
      state.sends += 1;
      state.concurrent += 1;
      state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
      try {
        if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
        if (state.failing) throw new Error('broker down (simulated)');
        sent.push({ topic, messages });
      } finally {
        state.concurrent -= 1;
      }
    },
    async close() {},
  };
  const messagesOn = (topic: string) => sent.filter((s) => s.topic === topic).flatMap((s) => s.messages);
  return { producer, sent, state, messagesOn };
}

export function unitCollector(overrides: Partial<CollectorDeps> = {}) {
  const log = memoryLogProducer();
  const producer: CoalescingProducer = createCoalescingProducer(log.producer, { ackTimeoutMs: 2000 });
  const app = createCollector({
    keyValue: createMemoryKeyValue(),
    producer,
    logReachable: async () => !log.state.failing,
    sites: createStaticSiteRegistry([SHOP, OTHER]),
    linkSecrets: SECRETS,
    collectorId: 'collector-test',
    topics: { raw: 'raw', deadLetter: 'dlq' },
    log: () => {},
    ...overrides,
  });
  return { app, log, producer };
}

/** Env for app.request() that looks like @hono/node-server's bindings: the socket's peer address. */
export const fromAddress = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
