import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCachedSiteRegistry } from './cached-site-registry.js';
import { loadSitesFile, SitesFileError } from './file-site-registry.js';
import { redirectHostAllowed, type Site, type SiteRegistry } from './site-registry.js';

const site: Site = { siteId: 's1', name: 'S1', writeKey: 'wk_s1_0123456789', allowedOrigins: ['https://s1.example'], allowedRedirectHosts: ['s1.example'] };

function fileWith(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spoor-sites-')), 'sites.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('sites file', () => {
  it('loads sites and finds them by write key and id, with defaults for optional lists', async () => {
    const registry = loadSitesFile(fileWith({ sites: [site, { siteId: 's2', writeKey: 'wk_s2_0123456789' }] }));
    expect(await registry.byWriteKey(site.writeKey)).toEqual({ ...site, honourGpc: true, linkKeys: [] });
    expect(await registry.byId('s2')).toEqual({ siteId: 's2', name: '', writeKey: 'wk_s2_0123456789', allowedOrigins: [], allowedRedirectHosts: [], honourGpc: true, linkKeys: [] });
    expect(await registry.byWriteKey('nope')).toBeUndefined();
  });

  it('reads honourGpc and linkKeys, and refuses link keys in a file others can read', async () => {
    const withKeys = { sites: [{ ...site, honourGpc: false, linkKeys: [{ keyId: 'k1', secret: 'k'.repeat(40) }] }] };
    const open = fileWith(withKeys);
    chmodSync(open, 0o644);
    expect(() => loadSitesFile(open)).toThrow(/readable by others; chmod 600/);
    const closed = fileWith(withKeys);
    chmodSync(closed, 0o600);
    expect(await loadSitesFile(closed).byId('s1')).toMatchObject({ honourGpc: false, linkKeys: [{ keyId: 'k1' }] });
    expect(() => loadSitesFile(fileWith({ sites: [{ ...site, linkKeys: [{ keyId: 'k1', secret: 'short' }] }] }))).toThrow(/secret/);
  });

  it('refuses a broken file naming the problem', () => {
    expect(() => loadSitesFile(fileWith('{'))).toThrow(SitesFileError);
    expect(() => loadSitesFile(fileWith({ sites: [{ siteId: 's', writeKey: 'short' }] }))).toThrow(/sites\[0\]\.writeKey/);
    expect(() => loadSitesFile(fileWith({ sites: [site, { ...site, siteId: 'dup' }] }))).toThrow(/write key of site "dup" is used twice/);
  });
});

describe('cached registry', () => {
  it('asks the store once per key, shares concurrent look-ups, remembers misses, and retries after a failure', async () => {
    const calls: string[] = [];
    let failing = false;
    const inner: SiteRegistry = {
      async byWriteKey(key) {
        calls.push(key);
        if (failing) throw new Error('store down');
        await new Promise((r) => setTimeout(r, 5));
        return key === site.writeKey ? site : undefined;
      },
      async byId() {
        return undefined;
      },
    };
    const cached = createCachedSiteRegistry(inner);
    const found = await Promise.all([cached.byWriteKey(site.writeKey), cached.byWriteKey(site.writeKey), cached.byWriteKey(site.writeKey)]);
    expect(found).toEqual([site, site, site]);
    expect(await cached.byWriteKey('unknown')).toBeUndefined();
    expect(await cached.byWriteKey('unknown')).toBeUndefined();
    expect(calls).toEqual([site.writeKey, 'unknown']);
    failing = true;
    await expect(cached.byWriteKey('other')).rejects.toThrow('store down');
    failing = false;
    expect(await cached.byWriteKey('other')).toBeUndefined();
  });
});

describe('redirect hosts', () => {
  it('matches exact hosts case-insensitively and wildcard subdomains only', () => {
    const s = { ...site, allowedRedirectHosts: ['Shop.Example', '*.cdn.example'] };
    expect(redirectHostAllowed(s, 'shop.example')).toBe(true);
    expect(redirectHostAllowed(s, 'a.cdn.example')).toBe(true);
    expect(redirectHostAllowed(s, 'cdn.example')).toBe(false);
    expect(redirectHostAllowed(s, 'evilcdn.example')).toBe(false);
    expect(redirectHostAllowed(s, 'shop.example.evil')).toBe(false);
  });
});
