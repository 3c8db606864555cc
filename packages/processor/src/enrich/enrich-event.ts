import { RawEventOrigin } from '@spoor/events';
import { LRUCache } from 'lru-cache';
import type { DecodedEvent } from '../pipeline/decode-message.js';
import { anonymiseIp, DEFAULT_IP_ANONYMISATION, type IpAnonymisation } from './anonymise-ip.js';
import { assignChannel, type Channel } from './assign-channel.js';
import { classifyReferrerOf, classifyTraffic, type ReferrerClass, type Traffic } from './classify-referrer.js';
import { deriveTimestamp, DEFAULT_FUTURE_TOLERANCE_MS, type DerivedTime } from './derive-timestamp.js';
import type { Geo, GeoLookup } from './geo-lookup.js';
import { readCampaign, type Campaign } from './read-campaign.js';
import type { ReferrerDataset } from './referrer-dataset.js';
import { resolveIdentity, type IdentityLink } from './resolve-identity.js';
import type { UserAgentInfo, UserAgentParser } from './parse-user-agent.js';

export interface EnrichedEvent extends DecodedEvent {
  time: DerivedTime;
  geo: Geo;
  /** The only form of the client address that is kept. */
  ipAnonymized: string;
  ua: UserAgentInfo;
  host: string;
  path: string;
  campaign: Campaign;
  traffic: Traffic;
  channel: Channel;
  /** Best known customer for this event: its own customerId, else one its identity links name. */
  customerId: string;
  identityLinks: IdentityLink[];
}

export interface EnricherDeps {
  geo: GeoLookup;
  userAgent: UserAgentParser;
  referrers: ReferrerDataset;
  ipAnonymisation?: IpAnonymisation;
  futureToleranceMs?: number;
  /**
   * Entries in each of the page-URL and referrer caches (default 10,000; 0: off). Both are pure functions of their key
   * (the URL; the referrer and page host), and a shop's events repeat both a lot: pings and product views of one page,
   * every event of a visit carrying the same referrer.
   */
  cacheSize?: number;
}

export type Enricher = (decoded: DecodedEvent) => Promise<EnrichedEvent>;

interface Page {
  host: string;
  path: string;
  campaign: Campaign;
}

function parsePage(url: string): Page {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.toLowerCase(), path: parsed.pathname, campaign: readCampaign(parsed.searchParams) };
  } catch {
    return { host: '', path: url.slice(0, 1024), campaign: readCampaign(null) };
  }
}

/** `compute` behind an LRU cache of `size` entries (size 0: no cache). Cached values are shared: never mutate them. */
function cached<V extends object>(size: number, compute: (key: string) => V): (key: string) => V {
  if (size <= 0) return compute;
  const cache = new LRUCache<string, V>({ max: size });
  return (key) => {
    let value = cache.get(key);
    if (!value) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** Every enrichment step, in order; each is a pure function of the event and the loaded reference data. */
export function createEnricher(deps: EnricherDeps): Enricher {
  const ipOptions = deps.ipAnonymisation ?? DEFAULT_IP_ANONYMISATION;
  const futureTolerance = deps.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
  const cacheSize = deps.cacheSize ?? 10_000;
  const page = cached(cacheSize, parsePage);
  const referrerOf = cached<ReferrerClass>(cacheSize, (key) => {
    const split = key.indexOf('\u0000');
    return classifyReferrerOf(deps.referrers, key.slice(split + 1) || undefined, key.slice(0, split));
  });
  return async (decoded) => {
    const { raw, event } = decoded;
    const time = deriveTimestamp(raw.deviceTs, raw.sentAt, raw.receivedAt, futureTolerance, raw.origin === RawEventOrigin.SERVER);
    // Geo reads the address before it is anonymised; nothing after this line sees the full address.
    const geo = deps.geo(raw.clientIp);
    const ipAnonymized = anonymiseIp(raw.clientIp, ipOptions);
    const ua = deps.userAgent(raw.userAgent);
    const { host, path, campaign } = page(event.url);
    const fromEmail = raw.origin === RawEventOrigin.EMAIL_PIXEL || raw.origin === RawEventOrigin.EMAIL_CLICK || event.type === 'email_open' || event.type === 'email_click';
    const input = { pageHost: host, referrer: event.referrer, campaign, fromEmail };
    // A page host cannot contain NUL, so the key splits back unambiguously.
    const traffic = classifyTraffic(deps.referrers, input, referrerOf(`${host}\u0000${event.referrer ?? ''}`));
    const channel = assignChannel(traffic, campaign);
    const identityLinks = resolveIdentity(event, raw.origin);
    const customerId = event.customerId ?? identityLinks[0]?.customerId ?? '';
    return { raw, event, time, geo, ipAnonymized, ua, host, path, campaign, traffic, channel, customerId, identityLinks };
  };
}
