import { z } from 'zod';
import { LIMITS } from '@spoor/events';
import type { LinkKey, LinkKeyring } from '../email/link-token.js';

/**
 * The sites port: which write keys exist and what each site allows. Adapters: ClickHouse table `sites`
 * (clickhouse-site-registry.ts) and a JSON file (file-site-registry.ts), usually behind a cache
 * (cached-site-registry.ts).
 */
export interface Site {
  siteId: string;
  name: string;
  /** Public key the SDK sends with every batch; identifies the site, is not a secret. */
  writeKey: string;
  /** Exact origins (`https://shop.example`) allowed to send from a browser; `*` allows any. */
  allowedOrigins: string[];
  /** Hosts an email click may redirect to (`shop.example`, or `*.shop.example` for subdomains). */
  allowedRedirectHosts: string[];
  /**
   * Honour the browser's Global Privacy Control (`Sec-GPC: 1`): requests carrying it store nothing (default true;
   * `spoor keys create --gpc ignore` turns it off for a site that has another legal basis).
   */
  honourGpc?: boolean;
  /** The site's own email-link signing keys still verifying, newest first (the first signs); see link-token.ts. */
  linkKeys?: LinkKey[];
}

export interface SiteRegistry {
  byWriteKey(writeKey: string): Promise<Site | undefined>;
  byId(siteId: string): Promise<Site | undefined>;
}

/** One email-link signing key of a site: an id that goes into tokens, and a secret of 32+ characters. */
export const linkKeySchema = z.object({ keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), secret: z.string().min(32).max(1024) });

/** One site as written in a sites file or read from the store; validated because both are outside input. */
export const siteSchema = z.object({
  siteId: z.string().min(1).max(LIMITS.maxIdLength),
  name: z.string().max(LIMITS.maxTextLength).default(''),
  writeKey: z.string().min(8).max(LIMITS.maxIdLength),
  allowedOrigins: z.array(z.string().min(1).max(LIMITS.maxUrlLength)).max(1000).default([]),
  allowedRedirectHosts: z.array(z.string().min(1).max(253)).max(1000).default([]),
  honourGpc: z.boolean().default(true),
  linkKeys: z.array(linkKeySchema).max(100).default([]),
});

/** The keys an email-link token of this site is signed and checked with: its own, then the global fallback. */
export function siteKeyring(site: Site, fallback: readonly string[]): LinkKeyring {
  return { site: site.linkKeys ?? [], fallback };
}

export function originAllowed(site: Site, origin: string): boolean {
  return site.allowedOrigins.includes('*') || site.allowedOrigins.includes(origin);
}

/** `shop.example` matches itself; `*.shop.example` matches any subdomain of it (not the bare domain). */
export function redirectHostAllowed(site: Site, hostname: string): boolean {
  const host = hostname.toLowerCase();
  return site.allowedRedirectHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
  });
}
