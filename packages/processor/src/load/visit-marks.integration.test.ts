import { describe, expect, it } from 'vitest';
import { encodeRawEvent } from '@spoor/events';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createEnricher } from '../enrich/enrich-event.js';
import { NO_GEO } from '../enrich/geo-lookup.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import { decodeMessage } from '../pipeline/decode-message.js';
import { syntheticRawEvent } from '../testing/synthetic-events.js';
import { buildRows } from './build-rows.js';
import { createClickHouseEventStore } from './clickhouse-event-store.js';
import { loadBatch } from './load-batch.js';

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });

async function rowsOf(from: number, to: number) {
  const events = [];
  for (let n = from; n < to; n++) {
    // 40 visitors: each visit has several events, some of them landings from the newsletter or a referrer.
    const decoded = decodeMessage(encodeRawEvent(syntheticRawEvent((n % 40) + 5000 * Math.floor(n / 40), { salt: 7 })));
    if (decoded.kind !== 'ok') throw new Error('synthetic event does not decode');
    events.push(await enrich(decoded.value));
  }
  return buildRows(events);
}

// Migration 0430 through the processor's own loader: every visit it stores is marked, and a settle then leaves each
// event's visit columns equal to its visit's attribution in sessions, whatever order the batches came in.
describe('visit marks (processor loader, chDB)', () => {
  it('marks each loaded visit after its events; a settle makes every event carry its visit\'s attribution', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const store = createClickHouseEventStore(client, database);
    const scalar = async (query: string) => Number((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const mismatches = () =>
      scalar(`SELECT count() AS n FROM ${database}.events AS e INNER JOIN (
                SELECT site_id, session_id, JSONExtract(argMinMerge(attribution), 'Array(String)') AS a FROM ${database}.sessions GROUP BY site_id, session_id
              ) AS v ON v.site_id = e.site_id AND v.session_id = e.session_id
              WHERE (e.visit_channel, e.visit_source, e.visit_medium, e.visit_campaign) != (a[1], a[2], a[3], a[6])`);
    const marks = () => scalar(`SELECT uniqExact(site_id, session_id) AS n FROM ${database}.unsettled_visits`);

    // The later half of every visit first (landings included in it only by chance), then the earlier half.
    await loadBatch(store, await rowsOf(200, 400));
    expect(await marks()).toBe(40);
    await store.settleVisits!();
    expect(await marks()).toBe(0);
    expect(await mismatches()).toBe(0);
    await loadBatch(store, await rowsOf(0, 200));
    expect(await marks()).toBe(40);
    await store.settleVisits!();
    expect(await mismatches()).toBe(0);
    expect(await scalar(`SELECT uniqExact(visit_channel) AS n FROM ${database}.events`)).toBeGreaterThan(1);

    // A redelivered batch stores nothing again but still marks its visits (the attempt that stored them may have died
    // before marking).
    const again = await loadBatch(store, await rowsOf(0, 200));
    expect(again.inserted.events).toBe(0);
    expect(await marks()).toBe(40);
  });
});
