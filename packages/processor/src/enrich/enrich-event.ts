import { RawEventOrigin } from '@spoor/events';
import type { DecodedEvent } from '../pipeline/decode-message.js';
import { anonymiseIp, DEFAULT_IP_ANONYMISATION, type IpAnonymisation } from './anonymise-ip.js';
import { assignChannel, type Channel } from './assign-channel.js';
import { classifyTraffic, type Traffic } from './classify-referrer.js';
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
}

export type Enricher = (decoded: DecodedEvent) => Promise<EnrichedEvent>;

function parsePage(url: string): { host: string; path: string; params: URLSearchParams | null } {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.toLowerCase(), path: parsed.pathname, params: parsed.searchParams };
  } catch {
    return { host: '', path: url.slice(0, 1024), params: null };
  }
}

/** Every enrichment step, in order; each is a pure function of the event and the loaded reference data. */
export function createEnricher(deps: EnricherDeps): Enricher {
  const ipOptions = deps.ipAnonymisation ?? DEFAULT_IP_ANONYMISATION;
  const futureTolerance = deps.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
  return async (decoded) => {
    const { raw, event } = decoded;
    const time = deriveTimestamp(raw.deviceTs, raw.sentAt, raw.receivedAt, futureTolerance, raw.origin === RawEventOrigin.SERVER);
    // Geo reads the address before it is anonymised; nothing after this line sees the full address.
    const geo = deps.geo(raw.clientIp);
    const ipAnonymized = anonymiseIp(raw.clientIp, ipOptions);
    const ua = deps.userAgent(raw.userAgent);
    const page = parsePage(event.url);
    const campaign = readCampaign(page.params);
    const fromEmail = raw.origin === RawEventOrigin.EMAIL_PIXEL || raw.origin === RawEventOrigin.EMAIL_CLICK || event.type === 'email_open' || event.type === 'email_click';
    const traffic = classifyTraffic(deps.referrers, { pageHost: page.host, referrer: event.referrer, campaign, fromEmail });
    const channel = assignChannel(traffic, campaign);
    const identityLinks = resolveIdentity(event);
    const customerId = event.customerId ?? identityLinks[0]?.customerId ?? '';
    return { raw, event, time, geo, ipAnonymized, ua, host: page.host, path: page.path, campaign, traffic, channel, customerId, identityLinks };
  };
}
