import { describe, expect, it } from 'vitest';
import { encodeRawEvent, RawEventOrigin } from '@spoor/events';
import { decodeMessage } from '../pipeline/decode-message.js';
import { SAMPLE_REFERRERS, syntheticRawEvent } from '../testing/synthetic-events.js';
import { createEnricher } from './enrich-event.js';
import { NO_GEO } from './geo-lookup.js';
import { createUserAgentParser } from './parse-user-agent.js';
import { loadReferrerDataset } from './referrer-dataset.js';

const referrers = loadReferrerDataset();
const enricher = (cacheSize: number) => createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers, cacheSize });

/** Synthetic events with the same URLs and referrers arriving on different pages, from email, with click ids. */
function variedEvents() {
  const extraReferrers = [...SAMPLE_REFERRERS, 'android-app://com.google.android.gm/', 'not a url', 'https://shop.example/cart'];
  return Array.from({ length: 300 }, (_, n) => {
    const raw = syntheticRawEvent(n, { salt: 9 });
    const event = JSON.parse(raw.eventJson);
    event.referrer = extraReferrers[n % extraReferrers.length] || undefined;
    if (n % 11 === 0) event.url = `https://other.example/landing?utm_medium=cpc&utm_source=google&gclid=x${n % 3}`;
    if (n % 13 === 0) event.url = 'https://shop.example/p?fbclid=abc';
    const origin = n % 17 === 0 ? RawEventOrigin.EMAIL_CLICK : raw.origin;
    const decoded = decodeMessage(encodeRawEvent({ ...raw, origin, eventJson: JSON.stringify(event) }));
    if (decoded.kind !== 'ok') throw new Error(`fixture ${n} does not decode`);
    return decoded.value;
  });
}

describe('enrichment caches', () => {
  it('give the same result as enriching every event from scratch, however often a URL or referrer repeats', async () => {
    const events = variedEvents();
    const withCache = enricher(10_000);
    const tiny = enricher(2);
    const without = enricher(0);
    for (const round of [1, 2]) {
      for (const d of events) {
        const expected = await without(d);
        expect(await withCache(d), `round ${round}, ${d.event.url} from ${d.event.referrer}`).toEqual(expected);
        expect(await tiny(d)).toEqual(expected);
      }
    }
  });
});
