import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectRedisKeyValue, type KeyValue } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { rawEventsIn } from '../test-support/read-topic.js';
import { batch, pageView, SECRETS, unitCollector } from '../test-support/collector-fixture.js';
import { signIdentityToken } from '../email/link-token.js';

const stores: KeyValue[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

const post = (body: unknown) => new Request('http://collector.test/v1/events', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
const identify = (anonymousId: string, token: string) => pageView({ type: 'identify', anonymousId, props: { customerId: 'cust-1', traits: { spoor_it: token } } });

describe('identity-token binding shared in Redis', () => {
  it('two collector instances: a token bound on one is refused for another browser on the other', async () => {
    const prefix = `${uniqueName('it')}:`;
    const [kvA, kvB] = await Promise.all([connectRedisKeyValue({ url: inject('redisUrl'), prefix }), connectRedisKeyValue({ url: inject('redisUrl'), prefix })]);
    stores.push(kvA, kvB);
    const a = unitCollector({ keyValue: kvA });
    const b = unitCollector({ keyValue: kvB });
    const token = signIdentityToken({ siteId: 'shop', customerId: 'cust-1', expiresAt: Date.now() + 60_000 }, SECRETS);
    expect(await (await a.app.request(post(batch([identify('phone', token)])))).json()).toEqual({ accepted: 1, rejected: [] });
    // the same browser again, through the other instance (a reload behind a load balancer)
    expect(await (await b.app.request(post(batch([identify('phone', token)])))).json()).toEqual({ accepted: 1, rejected: [] });
    const second = (await (await b.app.request(post(batch([identify('laptop', token)])))).json()) as { accepted: number; rejected: Array<{ error: string }> };
    expect(second.accepted).toBe(0);
    expect(second.rejected[0]!.error).toMatch(/already used by another browser/);
    expect(rawEventsIn(b.log.messagesOn('raw')).map((m) => m.raw.anonymousId)).toEqual(['phone']);
  });
});
