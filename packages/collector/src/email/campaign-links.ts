import { signClickToken, signOpenToken, type LinkKeys } from './link-token.js';

export interface CampaignLinkOptions {
  /** Public base URL of the collector, e.g. `https://t.shop.example`. */
  collectorUrl: string;
  siteId: string;
  campaignId: string;
  customerId: string;
  /**
   * What signs: the site's own keys (the newest signs, its key id goes into the token) and the global fallback
   * secrets, or just the global secrets as an array. `secrets` is the older name for the array form.
   */
  keys?: LinkKeys;
  secrets?: readonly string[];
  /** Defaults to now; the collector uses it to spot opens seconds after sending (scanners). */
  issuedAt?: number;
  /** Lifetime of the open pixel link (default 365 days) and of the click links (default 90 days). */
  openTtlMs?: number;
  clickTtlMs?: number;
}

/**
 * Builds the signed links an email service puts into one customer's copy of a campaign: the open pixel
 * (`<img src=…>`) and a click redirect per target URL. The collector only redirects to hosts the site allows,
 * so check targets against the site's allowed redirect hosts before sending.
 */
export function buildCampaignLinks(options: CampaignLinkOptions) {
  const keys = options.keys ?? options.secrets;
  if (!keys) throw new Error('buildCampaignLinks: keys (or secrets) required');
  const base = new URL(options.collectorUrl);
  const issuedAt = options.issuedAt ?? Date.now();
  const common = { siteId: options.siteId, campaignId: options.campaignId, customerId: options.customerId, issuedAt };
  const openPixelUrl = new URL('/v1/o.gif', base);
  openPixelUrl.searchParams.set('t', signOpenToken({ ...common, ...(options.openTtlMs ? { ttlMs: options.openTtlMs } : {}) }, keys));
  return {
    openPixelUrl: openPixelUrl.toString(),
    clickUrl(targetUrl: string): string {
      const target = new URL(targetUrl);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`click target must be http(s): ${targetUrl}`);
      const url = new URL('/v1/c', base);
      url.searchParams.set('t', signClickToken({ ...common, targetUrl: target.toString(), ...(options.clickTtlMs ? { ttlMs: options.clickTtlMs } : {}) }, keys));
      return url.toString();
    },
  };
}
