import type { ClientEvent } from '@spoor/events';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Env, Reply, Store } from '../src/ports.js';

export interface SentRequest {
  url: string;
  body: { writeKey: string; sentAt: number; events: ClientEvent[] };
  raw: string;
  beacon: boolean;
  keepalive: boolean;
}

/**
 * An in-memory Env for unit tests: stores are Maps, the transport records every request and answers
 * with whatever `reply` returns (default 202). Time comes from Date.now (use vi.useFakeTimers()).
 */
export function memoryEnv(overrides: Partial<Env> = {}, shared?: { store?: Store; outbox?: Store }) {
  const sent: SentRequest[] = [];
  const state = {
    online: true,
    blocked: false,
    url: 'https://shop.example/',
    title: 'Shop',
    referrer: '',
    beaconAccepts: true,
    reply: (_req: SentRequest): Reply | Promise<Reply> => ({ status: 202 }),
  };
  const record = (url: string, raw: string, beacon: boolean, keepalive: boolean) => {
    const req = { url, raw, body: JSON.parse(raw), beacon, keepalive };
    sent.push(req);
    return req;
  };
  const env: Env = {
    store: shared?.store ?? memoryStore(),
    outbox: shared?.outbox ?? memoryStore(),
    transport: {
      post: async (url, body, keepalive) => state.reply(record(url, body, false, keepalive)),
      beacon: (url, body) => (state.beaconAccepts ? (record(url, body, true, true), true) : false),
    },
    page: { url: () => state.url, title: () => state.title, referrer: () => state.referrer },
    now: () => Date.now(),
    uuid: () => crypto.randomUUID(),
    online: () => state.online,
    blocked: () => state.blocked,
    ...overrides,
  };
  /** Every event that reached the transport, in order, duplicates included. */
  const events = () => sent.flatMap((r) => r.body.events);
  return { env, sent, state, events };
}
