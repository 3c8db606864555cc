import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { audienceDefinitionSchema, type AudienceGroup } from './audience-definition.js';
import { createQueryRunner, type QueryRunner } from '../../clickhouse/query-runner.js';
import { loadFixture, type FixtureEvent } from '../../testing/load-fixture.js';
import { compileRules, type AudienceReadPath } from './audience-rules.js';
import { queryCustomerProfile } from '../customers/customer-profile.js';
import { PERSON_MAP_CTE } from '../shared/person-id.js';

/*
 * Every pixel hit is stored, but opens count once per (campaign, customer), human and machine apart. Hand-computed:
 *   u1: the pixel of campaign A fetched 7 times by a human               → 1 open (A); "opened ≥ 2 emails": no
 *   u2: A 3 human hits + 2 machine hits, B 1 machine hit, C 1 human hit → opens 2 (A, C), machine opens 2 (A, B);
 *       "opened ≥ 2 emails": yes, "≥ 3": no; campaigns listed: A and C (B only a machine opened), each opens 1
 *   u3: 5 machine hits of A                                              → 0 opens, 1 machine open; no audience counts it
 */
const AS_OF = new Date('2026-12-01T00:00:00.000Z');
let runner: QueryRunner;

const open = (customer: string, campaign: string, ts: string, machine = false): FixtureEvent => ({
  type: 'email_open', ts, anonymous_id: `email:${customer}`, session_id: `email:${campaign}`, customer_id: customer, campaign_id: campaign, machine_open: machine,
});
const times = (n: number, day: string) => Array.from({ length: n }, (_, i) => `2026-11-${day} 08:0${i}:00`);

const EVENTS: FixtureEvent[] = [
  ...times(7, '20').map((ts) => open('u1', 'A', ts)),
  ...times(3, '21').map((ts) => open('u2', 'A', ts)),
  ...times(2, '22').map((ts) => open('u2', 'A', ts, true)),
  open('u2', 'B', '2026-11-23 08:00:00', true),
  open('u2', 'C', '2026-11-24 08:00:00'),
  ...times(5, '25').map((ts) => open('u3', 'A', ts, true)),
];

beforeAll(async () => {
  const { client, database } = await freshClickHouseDatabase();
  await loadFixture(client, database, {
    events: EVENTS,
    identities: ['u1', 'u2', 'u3'].map((u) => ({ anonymous_id: `email:${u}`, customer_id: u, first_seen: '2026-11-01 00:00:00' })),
  });
  runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 30 });
});

async function members(definition: unknown, path: AudienceReadPath) {
  const m = compileRules(audienceDefinitionSchema.parse(definition) as AudienceGroup, AS_OF, { path });
  const sql = `WITH ${PERSON_MAP_CTE}, members AS (${m.sql}) SELECT person_id FROM members ORDER BY person_id`;
  return (await runner.rows<{ person_id: string }>(sql, { ...m.params, site: 'shop-1' })).map((r) => r.person_id);
}
const opened = (op: string, count: number) => ({ all: [{ event: 'email_open', op, count, within_days: 30 }] });

describe('unique email opens', () => {
  it('audiences count opened campaigns, not pixel hits (both read paths)', async () => {
    for (const path of ['events', 'session-days'] as const) {
      expect([path, await members(opened('>=', 2), path)]).toEqual([path, ['u2']]);
      expect([path, await members(opened('>=', 3), path)]).toEqual([path, []]);
      expect([path, await members(opened('=', 1), path)]).toEqual([path, ['u1']]);
      expect([path, await members(opened('>=', 5), path)]).toEqual([path, []]);
    }
  });

  it('the profile counts opened campaigns, human and machine apart, on both profile paths', async () => {
    for (const rowCap of [undefined, 0]) {
      const p = (customer: string) => queryCustomerProfile(runner, { site: 'shop-1', customer, asOf: AS_OF, limit: 20, ...(rowCap === undefined ? {} : { rowCap }) });
      const u1 = (await p('u1'))!;
      expect([rowCap, u1.summary.email_opens, u1.summary.email_machine_opens, u1.emails.map((e) => [e.campaign_id, e.opens])]).toEqual([rowCap, 1, 0, [['A', 1]]]);
      const u2 = (await p('u2'))!;
      expect([rowCap, u2.summary.email_opens, u2.summary.email_machine_opens]).toEqual([rowCap, 2, 2]);
      expect(u2.emails.map((e) => [e.campaign_id, e.opens, e.first_opened_at])).toEqual([
        ['C', 1, '2026-11-24T08:00:00.000Z'],
        ['A', 1, '2026-11-21T08:00:00.000Z'],
      ]);
      const u3 = (await p('u3'))!;
      expect([rowCap, u3.summary.email_opens, u3.summary.email_machine_opens, u3.emails]).toEqual([rowCap, 0, 1, []]);
    }
  });
});
