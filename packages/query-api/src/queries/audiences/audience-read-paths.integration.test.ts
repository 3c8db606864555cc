import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { audienceDefinitionSchema, type AudienceGroup } from './audience-definition.js';
import { createQueryRunner, type QueryRunner } from '../../clickhouse/query-runner.js';
import { loadFixture, type FixtureEvent } from '../../testing/load-fixture.js';
import { compileRules, type AudienceReadPath } from './audience-rules.js';
import { PERSON_MAP_CTE } from '../shared/person-id.js';

/*
 * The session_days read path (whole days from the rollup, edge days and condition types from events) must give
 * exactly what reading every event of the window gives. Checked two ways:
 *  1. hand-computed cases around the window's edges at an as_of that is not midnight;
 *  2. both paths on a seeded random dataset (sessions crossing midnight, events exactly at window starts, bots,
 *     machine opens, anonymous visits stitched later, devices shared), for several definitions and as_of moments.
 */
let runner: QueryRunner;

const AS_OF = new Date('2026-11-20T13:30:00.000Z'); // 7 days → since 2026-11-13 13:30:00.000
const ev = (type: string, ts: string, anonymous_id: string, session_id: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ type, ts, anonymous_id, session_id, ...extra });

const HAND_EVENTS: FixtureEvent[] = [
  // h1: a session 11-13 13:00 → 13:40 (its only in-window event a ping at 13:40) plus one whole-day visit → 2 visits.
  ev('page_view', '2026-11-13 13:00:00', 'h1', 'h1-s1'), ev('page_ping', '2026-11-13 13:40:00', 'h1', 'h1-s1'), ev('page_view', '2026-11-16 09:00:00', 'h1', 'h1-s2'),
  // h2: one session crossing midnight 11-15 → 11-16 (two session_days rows), one more on as_of's day before 13:30 → 2 visits.
  ev('page_view', '2026-11-15 23:50:00', 'h2', 'h2-s1'), ev('page_view', '2026-11-16 00:10:00', 'h2', 'h2-s1'), ev('page_view', '2026-11-20 13:29:59.999', 'h2', 'h2-s2'),
  // h3: exactly at the window start (inclusive) and exactly at as_of (exclusive) → 1 visit.
  ev('page_view', '2026-11-13 13:30:00.000', 'h3', 'h3-s1'), ev('page_view', '2026-11-20 13:30:00.000', 'h3', 'h3-s2'),
  // h4: one visit just before the window start, one whole-day visit, a bot visit, an email pseudo-session → 1 visit.
  ev('page_view', '2026-11-13 13:29:59.999', 'h4', 'h4-s1'), ev('page_view', '2026-11-17 09:00:00', 'h4', 'h4-s2'),
  ev('page_view', '2026-11-18 09:00:00', 'h4', 'h4-s3', { is_bot: true }), ev('email_open', '2026-11-18 10:00:00', 'h4', 'h4-mail'),
];

beforeAll(async () => {
  const { client, database } = await freshClickHouseDatabase();
  await loadFixture(client, database, { events: [...HAND_EVENTS, ...randomEvents()], identities: randomIdentities() });
  runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 30 });
});

async function members(definition: unknown, asOf: Date, path: AudienceReadPath) {
  const m = compileRules(audienceDefinitionSchema.parse(definition) as AudienceGroup, asOf, { path });
  const sql = `WITH ${PERSON_MAP_CTE}, members AS (${m.sql})
    SELECT person_id, customer_id, toString(last_seen) AS last_seen FROM members ORDER BY person_id`;
  return runner.rows<{ person_id: string; customer_id: string; last_seen: string }>(sql, { ...m.params, site: 'shop-1' });
}
const visits = (op: string, count: number, within_days: number) => ({ event: 'visit', op, count, within_days });

describe('audience read paths', () => {
  it('hand-computed: edges of a window at 13:30, sessions over midnight, pings, bots, email pseudo-sessions', async () => {
    for (const path of ['events', 'session-days'] as const) {
      const two = (await members({ all: [visits('>=', 2, 7)] }, AS_OF, path)).map((r) => r.person_id).filter((p) => p.startsWith('h'));
      expect([path, two]).toEqual([path, ['h1', 'h2']]);
      const one = (await members({ all: [visits('=', 1, 7)] }, AS_OF, path)).map((r) => r.person_id).filter((p) => p.startsWith('h'));
      expect([path, one]).toEqual([path, ['h3', 'h4']]);
      // Last seen: h2's 13:29:59.999 (on as_of's day); h4's email open 11-18 10:00 (non-bot, so activity).
      const seen = Object.fromEntries((await members({ all: [visits('>=', 0, 7)] }, AS_OF, path)).map((r) => [r.person_id, r.last_seen]));
      expect([path, seen.h2, seen.h4]).toEqual([path, '2026-11-20 13:29:59.999', '2026-11-18 10:00:00.000']);
    }
  });

  const definitions = [
    { all: [visits('>=', 2, 30), { event: 'email_open', op: '>=', count: 2, within_days: 30 }] },
    { all: [visits('>=', 1, 3), visits('<', 3, 10)] },
    { any: [visits('=', 0, 5), { event: 'add_to_cart', op: '>=', count: 1, within_days: 2 }] },
    { all: [{ event: 'email_click', op: '>=', count: 1, within_days: 14 }, { any: [visits('>', 1, 7), { event: 'page_view', op: '>=', count: 3, within_days: 1, where: [{ property: 'channel', op: 'eq', value: 'email' }] }] }] },
    { all: [visits('!=', 2, 12)] },
  ];
  const moments = ['2026-11-20T00:00:00.000Z', '2026-11-20T13:30:00.000Z', '2026-11-18T06:07:08.009Z', '2026-11-25T23:59:59.999Z'];

  it('both paths agree on a random dataset, for every definition and as_of', async () => {
    let nonEmpty = 0;
    for (const definition of definitions) {
      for (const moment of moments) {
        const asOf = new Date(moment);
        const fromEvents = await members(definition, asOf, 'events');
        const fromDays = await members(definition, asOf, 'session-days');
        expect({ moment, definition, rows: fromDays }).toEqual({ moment, definition, rows: fromEvents });
        if (fromEvents.length > 0) nonEmpty += 1;
      }
    }
    // The comparison means something only if audiences are not all empty.
    expect(nonEmpty).toBeGreaterThan(definitions.length * moments.length * 0.6);
  });
});

/** mulberry32: a small seeded PRNG, so the dataset is the same on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.parse('2026-10-20T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function randomEvents(): FixtureEvent[] {
  const rnd = prng(42);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const events: FixtureEvent[] = [];
  // Exact window starts of the definitions × moments above, so "ts = since" happens.
  const boundaries = [1, 2, 3, 5, 7, 10, 12, 14, 30].flatMap((d) => ['2026-11-20T00:00:00.000Z', '2026-11-20T13:30:00.000Z', '2026-11-18T06:07:08.009Z'].map((m) => Date.parse(m) - d * 86_400_000));
  for (let b = 0; b < 60; b += 1) {
    const anon = `r${b}`;
    const customer = b % 3 === 0 ? `rc${b % 21}` : '';
    const sessions = 1 + Math.floor(rnd() * 6);
    for (let s = 0; s < sessions; s += 1) {
      let t = rnd() < 0.15 ? pick(boundaries) : START + Math.floor(rnd() * 40 * 86_400_000);
      // Some sessions start just before midnight so they cross it.
      if (rnd() < 0.2) t = Math.floor(t / 86_400_000) * 86_400_000 + 86_400_000 - Math.floor(rnd() * 600_000);
      const bot = rnd() < 0.08;
      const n = 1 + Math.floor(rnd() * 5);
      for (let k = 0; k < n; k += 1) {
        const type = pick(['page_view', 'page_view', 'page_ping', 'add_to_cart', 'product_view', 'email_open', 'email_click'] as const);
        events.push({
          type,
          ts: iso(t),
          anonymous_id: anon,
          session_id: type.startsWith('email_') ? `${anon}-mail` : `${anon}-s${s}`,
          customer_id: customer && rnd() < 0.6 ? customer : '',
          channel: pick(['email', 'direct', 'social']),
          is_bot: bot,
          machine_open: type === 'email_open' && rnd() < 0.3,
        });
        t += Math.floor(rnd() * 900_000);
      }
    }
  }
  return events;
}

/** Some anonymous browsers linked to customers (stitching), one of them to two customers over time. */
function randomIdentities() {
  return [
    ...Array.from({ length: 20 }, (_, i) => ({ anonymous_id: `r${i * 2 + 1}`, customer_id: `rc${i % 7}`, first_seen: '2026-11-01 00:00:00', last_seen: '2026-11-10 00:00:00' })),
    { anonymous_id: 'r5', customer_id: 'rc9', first_seen: '2026-11-12 00:00:00', last_seen: '2026-11-15 00:00:00' },
  ];
}
