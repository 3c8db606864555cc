import { boundedText } from '@spoor/events';
import { COMPARISON_SITES, EXTRA_SEARCH_HOSTS, FALLBACK_SEARCH_TERM_PARAMS, SEARCH_TERM_PARAMS } from './referrer-extras.js';
import { lookupReferrer, type ReferrerDataset } from './referrer-dataset.js';
import { CLICK_IDS, type Campaign } from './read-campaign.js';

export type Medium = 'search' | 'social' | 'email' | 'comparison' | 'paid' | 'internal' | 'direct' | 'unknown';

export interface Traffic {
  medium: Medium;
  /** Engine/network/site name (Google, Facebook, Ceneo, …), the utm_source, or the referrer host. */
  source: string;
  searchTerm: string;
  referrerHost: string;
}

export interface TrafficInput {
  pageHost: string;
  referrer: string | undefined;
  campaign: Campaign;
  /** Email opens and clicks are email traffic whatever their referrer says. */
  fromEmail: boolean;
}

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*|display|banner|cpm|cpv)$/;
const EMAIL_MEDIUM = /^(e[-_ ]?mail|newsletter|mailing)$/;
const SOCIAL_MEDIUM = /^(social|social[-_ ]?network|social[-_ ]?media|sm|smm)$/;
const COMPARISON_MEDIUM = /^(comparison|price[-_ ]?comparison|cse|shopping[-_ ]?feed|product[-_ ]?listing)$/;
const stripWww = (host: string) => host.replace(/^www\./, '');

function parseUrl(text: string | undefined): URL | null {
  if (!text) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function comparisonSite(host: string, url: URL): string | undefined {
  let candidate = stripWww(host);
  for (let i = 0; i < 4; i++) {
    const hit = COMPARISON_SITES[candidate];
    if (hit) return hit;
    const dot = candidate.indexOf('.');
    if (dot < 0) break;
    candidate = candidate.slice(dot + 1);
  }
  // Google Shopping results are served from Google's search hosts.
  if (/(^|\.)google\.[a-z.]+$/.test(host) && (url.pathname.startsWith('/shopping') || url.searchParams.get('tbm') === 'shop' || url.searchParams.get('udm') === '28')) {
    return 'Google Shopping';
  }
  return undefined;
}

function searchTerm(source: string, params: URLSearchParams): string {
  for (const name of SEARCH_TERM_PARAMS[source] ?? FALLBACK_SEARCH_TERM_PARAMS) {
    const value = params.get(name);
    // Percent-decoded: bounded without splitting an emoji and normalised (string policy), like campaign parameters.
    if (value) return boundedText(value.trim(), 256);
  }
  return '';
}

/** What the referrer alone says (host, medium, source, search term): a pure function of (referrer, page host). */
export interface ReferrerClass {
  referrerHost: string;
  fromReferrer: Omit<Traffic, 'referrerHost'>;
}

export function classifyReferrerOf(dataset: ReferrerDataset, referrer: string | undefined, pageHost: string): ReferrerClass {
  const referrerUrl = parseUrl(referrer);
  const referrerHost = referrerUrl && /^https?:$/.test(referrerUrl.protocol) ? referrerUrl.hostname.toLowerCase() : referrerUrl ? referrerUrl.protocol.replace(/:$/, '') : '';
  return { referrerHost, fromReferrer: classifyReferrer(dataset, referrerUrl, referrerHost, pageHost) };
}

/** Medium and source from the landing page's campaign and the referrer. Campaign tags win over the referrer. */
export function classifyTraffic(dataset: ReferrerDataset, input: TrafficInput, classified?: ReferrerClass): Traffic {
  const { referrerHost, fromReferrer } = classified ?? classifyReferrerOf(dataset, input.referrer, input.pageHost);
  const { campaign } = input;
  const source = campaign.utmSource || fromReferrer.source;

  if (input.fromEmail) return { medium: 'email', source: campaign.utmSource || 'email', searchTerm: '', referrerHost };
  const clickId = CLICK_IDS.find((c) => c.param === campaign.clickIdType);
  if (clickId?.paid) return { medium: 'paid', source: campaign.utmSource || clickId.platform, searchTerm: fromReferrer.searchTerm, referrerHost };
  const medium = campaign.utmMedium;
  if (medium) {
    if (COMPARISON_MEDIUM.test(medium)) return { medium: 'comparison', source, searchTerm: '', referrerHost };
    if (PAID_MEDIUM.test(medium)) return { medium: 'paid', source, searchTerm: fromReferrer.searchTerm, referrerHost };
    if (EMAIL_MEDIUM.test(medium)) return { medium: 'email', source, searchTerm: '', referrerHost };
    if (SOCIAL_MEDIUM.test(medium)) return { medium: 'social', source, searchTerm: '', referrerHost };
    if (medium === 'organic') return { medium: 'search', source, searchTerm: fromReferrer.searchTerm, referrerHost };
  }
  if (clickId?.social && fromReferrer.medium !== 'social') return { medium: 'social', source: campaign.utmSource || clickId.platform, searchTerm: '', referrerHost };
  // A tagged link from our own site or without a referrer is still the campaign's traffic, not direct.
  if (campaign.utmSource && (fromReferrer.medium === 'direct' || fromReferrer.medium === 'internal')) {
    return { medium: 'unknown', source, searchTerm: '', referrerHost };
  }
  return { ...fromReferrer, source, referrerHost };
}

function classifyReferrer(dataset: ReferrerDataset, url: URL | null, host: string, pageHost: string): Omit<Traffic, 'referrerHost'> {
  if (!url || !host) return { medium: 'direct', source: '', searchTerm: '' };
  if (!/^https?:$/.test(url.protocol)) {
    // android-app://com.google.android.gm and friends: the dataset knows some app ids.
    const app = dataset.get(url.hostname.toLowerCase());
    return app ? { medium: toMedium(app.medium), source: app.source, searchTerm: '' } : { medium: 'unknown', source: host, searchTerm: '' };
  }
  if (pageHost && stripWww(host) === stripWww(pageHost)) return { medium: 'internal', source: '', searchTerm: '' };
  const comparison = comparisonSite(host, url);
  if (comparison) return { medium: 'comparison', source: comparison, searchTerm: '' };
  const extra = EXTRA_SEARCH_HOSTS[host];
  if (extra) return { medium: 'search', source: extra, searchTerm: searchTerm(extra, url.searchParams) };
  const known = lookupReferrer(dataset, host, url.pathname);
  if (!known) return { medium: 'unknown', source: stripWww(host), searchTerm: '' };
  const medium = toMedium(known.medium);
  return { medium, source: known.source, searchTerm: medium === 'search' ? searchTerm(known.source, url.searchParams) : '' };
}

function toMedium(datasetMedium: string): Medium {
  switch (datasetMedium) {
    case 'search':
    case 'social':
    case 'email':
    case 'paid':
      return datasetMedium;
    default:
      // The dataset's "referral" and "unknown" are both plain referrals here; the channel says Referral.
      return 'unknown';
  }
}
