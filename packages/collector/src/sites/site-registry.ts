import { z } from 'zod';
import { LIMITS } from '@spoor/events';

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
}

export interface SiteRegistry {
  byWriteKey(writeKey: string): Promise<Site | undefined>;
  byId(siteId: string): Promise<Site | undefined>;
}

/** One site as written in a sites file or read from the store; validated because both are outside input. */
export const siteSchema = z.object({
  siteId: z.string().min(1).max(LIMITS.maxIdLength),
  name: z.string().max(LIMITS.maxTextLength).default(''),
  writeKey: z.string().min(8).max(LIMITS.maxIdLength),
  allowedOrigins: z.array(z.string().min(1).max(LIMITS.maxUrlLength)).max(1000).default([]),
  allowedRedirectHosts: z.array(z.string().min(1).max(253)).max(1000).default([]),
});

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
