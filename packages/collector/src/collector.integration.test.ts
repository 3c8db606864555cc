import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedisKeyValue, createKafkaEventLog, type EventLog, type EventLogProducer, createMemoryKeyValue } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { decodeDeadLetter, LIMITS } from '@spoor/events';
import { createCollector } from './create-collector.js';
import { buildCampaignLinks } from './email/campaign-links.js';
import { createCoalescingProducer, type CoalescingProducer } from './produce/coalescing-producer.js';
import { createRateLimits } from './rate-limit/rate-limits.js';
import { serveCollector, type RunningCollector } from './serve-collector.js';
import { createStaticSiteRegistry } from './sites/file-site-registry.js';
import { batch, OTHER, pageView, SECRETS, SHOP } from './test-support/collector-fixture.js';
import { readRawEvents, readTopic } from './test-support/read-topic.js';

const log: EventLog = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: 'collector-it', compression: 'gzip' });
const topics = { raw: uniqueName('raw'), deadLetter: uniqueName('dlq') };
let kafkaProducer: EventLogProducer;
let producer: CoalescingProducer;
let running: RunningCollector;
let redis: Awaited<ReturnType<typeof connectRedisKeyValue>>;
const redisPrefix = `${uniqueName('rl')}:`;

function collector(overrides: Parameters<typeof createCollector>[0] extends infer D ? Partial<D> : never = {}) {
  return createCollector({
    keyValue: createMemoryKeyValue(),
    producer,
    logReachable: () => log.ping(),
    sites: createStaticSiteRegistry([SHOP, OTHER]),
    linkSecrets: SECRETS,
    collectorId: 'collector-it',
    topics,
    trustedProxies: ['loopback'],
    log: () => {},
    ...overrides,
  });
}

beforeAll(async () => {
  // One partition each: messages come back in the order they were acknowledged.
  await log.ensureTopics([
    { name: topics.raw, partitions: 1 },
    { name: topics.deadLetter, partitions: 1 },
  ]);
  kafkaProducer = await log.producer();
  producer = createCoalescingProducer(kafkaProducer);
  redis = await connectRedisKeyValue({ url: inject('redisUrl'), prefix: redisPrefix });
  running = await serveCollector({ app: collector(), port: 0, hostname: '127.0.0.1' });
});

afterAll(async () => {
  await running.shutdown();
  await kafkaProducer.close();
  await log.close();
  await redis.close();
});

const post = (body: unknown, headers: Record<string, string> = {}, path = '/v1/events') =>
  fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Raw HTTP/1.1 over a socket: lets a test send a body larger than it declares, or chunked, as hostile clients do. */
function rawPost(headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${running.url}/v1/events`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err) => reject(err));
    let i = 0;
    const writeNext = () => {
      if (i >= chunks.length || req.destroyed) return req.end();
      req.write(chunks[i++], () => setImmediate(writeNext));
    };
    writeNext();
  });
}

describe('collector over a real socket with real Kafka', () => {
  it('produces accepted events to the raw topic and rejected ones to the DLQ, and every error status', async () => {
    const events = [pageView({ anonymousId: 'it-a' }), { ...pageView(), ts: 'yesterday' }, pageView({ anonymousId: 'it-b', type: 'search', props: { query: 'Grüße 🛒' } })];
    const ok = await post(batch(events), { origin: 'https://shop.example', 'x-forwarded-for': '192.0.2.77', 'user-agent': 'IT/1' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(await ok.json()).toEqual({ accepted: 2, rejected: [{ index: 1, error: expect.stringMatching(/^ts: /) }] });

    // Every refusal below must leave Kafka untouched.
    expect((await post('{"events":')).status).toBe(400);
    expect((await post(batch([pageView()], { writeKey: 'wk_nobody_0000' }))).status).toBe(401);
    expect((await post(batch([pageView()]), { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(batch(Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => pageView())))).status).toBe(413);
    expect((await post(batch([pageView()]), { 'content-type': 'multipart/form-data' })).status).toBe(415);
    const declared = await rawPost({ 'content-type': 'application/json', 'content-length': String(LIMITS.maxBatchBytes + 1) }, [Buffer.from('{')]);
    expect(declared.status).toBe(413);
    const chunked = await rawPost(
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      Array.from({ length: 24 }, () => Buffer.alloc(64 * 1024, 0x20)),
    ).catch((err: Error) => ({ status: -1, body: err.message }));
    // The collector answers 413 and closes; a client still writing may see the reset instead of the answer.
    expect([413, -1]).toContain(chunked.status);

    const sentinel = pageView({ anonymousId: 'it-sentinel' });
    expect((await post(batch([sentinel], { writeKey: OTHER.writeKey }))).status).toBe(202);
    const raw = await readRawEvents(log, topics.raw, 3);
    expect(raw.map((r) => r.key)).toEqual(['it-a', 'it-b', 'it-sentinel']);
    expect(raw[0]!.raw).toMatchObject({ eventId: events[0]!.id, siteId: 'shop', clientIp: '192.0.2.0', userAgent: 'IT/1', collectorId: 'collector-it' });
    expect(JSON.parse(raw[1]!.raw.eventJson).props.query).toBe('Grüße 🛒');

    const [letter] = await readTopic(log, topics.deadLetter, 1);
    const decoded = decodeDeadLetter(letter!.value);
    expect(decoded.ok && JSON.parse(Buffer.from(decoded.value.original).toString())).toEqual(events[1]);
  });

  it('records opens and clicks from signed links and redirects with an identity token', async () => {
    const links = buildCampaignLinks({ collectorUrl: running.url, siteId: 'shop', campaignId: 'c-it', customerId: 'cust-it', secrets: SECRETS, issuedAt: Date.now() - 3_600_000 });
    const pixel = await fetch(links.openPixelUrl, { headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Thunderbird/115.0' } });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const gmail = await fetch(links.openPixelUrl, { headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' } });
    expect(gmail.status).toBe(200);
    const tampered = await fetch(`${running.url}/v1/o.gif?t=abc.def`);
    expect(tampered.status).toBe(200);
    const click = await fetch(links.clickUrl('https://shop.example/landing'), { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toMatch(/^https:\/\/shop\.example\/landing\?spoor_it=/);
    const offList = await fetch(links.clickUrl('https://evil.example/'), { redirect: 'manual' });
    expect(offList.status).toBe(400);

    const sentinel = pageView({ anonymousId: 'it-sentinel-2' });
    await post(batch([sentinel]));
    const messages = await readRawEvents(log, topics.raw, 7);
    const recorded = messages.slice(3).map(({ raw }) => ({ type: raw.type, props: JSON.parse(raw.eventJson).props }));
    expect(recorded).toEqual([
      { type: 'email_open', props: { campaignId: 'c-it', customerId: 'cust-it', machine: false } },
      { type: 'email_open', props: { campaignId: 'c-it', customerId: 'cust-it', machine: true, machineReason: 'user-agent: gmail-image-proxy' } },
      { type: 'email_click', props: { campaignId: 'c-it', customerId: 'cust-it', targetUrl: 'https://shop.example/landing' } },
      { type: 'page_view', props: {} },
    ]);
  });

  it('ops endpoints: healthz, readyz against live and dead brokers, metrics', async () => {
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/spoor_collector_requests_total\{route="\/v1\/events",status="413"\} [2-9]/);
    expect(metrics).toMatch(/spoor_collector_email_tokens_invalid_total\{kind="open"\} 1/);

    const dead = createKafkaEventLog({ brokers: ['127.0.0.1:1'], clientId: 'dead', retries: 0, connectionTimeoutMs: 300, logLevel: 'nothing' });
    const app = collector({ logReachable: () => dead.ping() });
    expect((await app.request('/readyz')).status).toBe(503);
    const served = await serveCollector({ app, port: 0, hostname: '127.0.0.1' });
    expect((await fetch(`${served.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${served.url}/nowhere`)).status).toBe(404);
    await served.shutdown();
    await dead.close();
  });

  it('rate limits per IP in Redis, shared by two collector instances, 429 with Retry-After', async () => {
    const limits = () => createRateLimits({ perIp: { perSecond: 3, burst: 0 }, perSite: { perSecond: 10_000, burst: 0 }, redis: redis.redis, keyPrefix: 'shared' });
    const a = collector({ rateLimits: limits() });
    const b = collector({ rateLimits: limits() });
    const env = { incoming: { socket: { remoteAddress: '198.51.100.99' } } };
    const send = (app: typeof a) => app.request(new Request('http://c/v1/events', { method: 'POST', body: JSON.stringify(batch([pageView()])) }), undefined, env);
    const responses: Response[] = [];
    for (let i = 0; i < 8; i++) responses.push(await send(i % 2 ? b : a));
    const statuses = responses.map((r) => r.status);
    // 3 per second across both instances: a fixed window may roll over once during the loop, never more.
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 202).length + statuses.filter((s) => s === 429).length).toBe(8);
    const limited = responses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await redis.redis.keys('*shared:ip*')).not.toHaveLength(0);

    // The same over a real socket: the socket's address is the key, and the 429 carries Retry-After.
    const served = await serveCollector({ app: collector({ rateLimits: createRateLimits({ perIp: { perSecond: 1, burst: 0 }, perSite: { perSecond: 10_000, burst: 0 }, redis: redis.redis, keyPrefix: 'socket' }) }), port: 0, hostname: '127.0.0.1' });
    const overSocket: Response[] = [];
    for (let i = 0; i < 3; i++) overSocket.push(await fetch(`${served.url}/v1/events`, { method: 'POST', body: JSON.stringify(batch([pageView()])) }));
    const refused = overSocket.find((r) => r.status === 429);
    expect(refused, `statuses ${overSocket.map((r) => r.status).join(',')}`).toBeDefined();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    await served.shutdown();
  });

  it('graceful shutdown: stops accepting, finishes in-flight requests, every 202 is in Kafka', async () => {
    const drainTopic = uniqueName('drain');
    await log.ensureTopics([{ name: drainTopic, partitions: 1 }]);
    const own = await serveCollector({ app: collector({ topics: { raw: drainTopic, deadLetter: topics.deadLetter } }), port: 0, hostname: '127.0.0.1' });
    let arrived = 0;
    const allArrived = new Promise<void>((resolve) => own.server.on('request', () => ++arrived === 20 && resolve()));
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${own.url}/v1/events`, { method: 'POST', body: JSON.stringify(batch([pageView({ anonymousId: `drain-${i}` })])) }).then((r) => r.status),
    );
    // Shut down while all 20 are inside the collector (received, not yet answered).
    await allArrived;
    const stopped = own.shutdown();
    const statuses = await Promise.all(inFlight);
    await stopped;
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 202));
    const accepted = statuses.length;
    const stored = await readTopic(log, drainTopic, accepted);
    expect(stored).toHaveLength(accepted);
  });
});
