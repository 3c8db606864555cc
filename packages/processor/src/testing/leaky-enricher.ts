import type { Enricher } from '../enrich/enrich-event.js';

/**
 * The decode step repairs free text under the contract's string policy, so lone surrogates no longer reach the store
 * from the log. The store's refusal (split, dead-letter, commit) is the defence against whatever the policy misses — an
 * enrichment bug such as a cut through a surrogate pair did once. This enricher plays that bug in tests: it puts every
 * string of the event back as it was sent, before the repair.
 */
export function leakyEnricher(base: Enricher): Enricher {
  return async (decoded) => {
    const enriched = await base(decoded);
    const sent: unknown = JSON.parse(decoded.raw.eventJson);
    return { ...enriched, event: restoreStrings(enriched.event, sent) as typeof enriched.event };
  };
}

function restoreStrings(clean: unknown, sent: unknown): unknown {
  if (typeof clean === 'string') return typeof sent === 'string' ? sent : clean;
  if (Array.isArray(clean)) return clean.map((v, i) => restoreStrings(v, Array.isArray(sent) ? sent[i] : undefined));
  if (clean && typeof clean === 'object') {
    const from = sent && typeof sent === 'object' ? (sent as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(clean).map(([k, v]) => [k, restoreStrings(v, from[k])]));
  }
  return clean;
}
