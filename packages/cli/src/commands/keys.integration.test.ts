import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `spoor keys create`, as a child process on embedded chDB in a data directory of its own. */
const SPOOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/spoor.mjs');
let dataDir: string;

function spoor(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, SPOOR_DATA_DIR: dataDir };
  for (const name of ['CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_CLUSTER']) delete env[name];
  const run = spawnSync(process.execPath, [SPOOR_BIN, ...args], { env, encoding: 'utf8', timeout: 110_000 });
  return { status: run.status, stdout: run.stdout, stderrLines: run.stderr.split('\n').filter((l) => l.trim() !== '') };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'spoor-keys-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('spoor keys create', () => {
  it('without --origin: creates the site, prints its keys, and warns on stderr in one line what to pass', () => {
    const run = spoor('keys', 'create', '--site', 'shop-a');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ siteId: 'shop-a', writeKey: expect.stringMatching(/^wk_/), apiKey: expect.stringMatching(/^sk_/) });
    expect(run.stderrLines).toEqual([
      'warning: site "shop-a" allows no browser origin, so the collector refuses the tracker on every shop page (403): ' +
        "run again with --origin https://your-shop.example (each storefront's scheme://host[:port]; repeatable)",
    ]);
  });

  it('with --origin no warning; run again without it, the site keeps its origins and still no warning', () => {
    const first = spoor('keys', 'create', '--site', 'shop-a', '--origin', 'https://shop.example', '--origin', 'http://localhost:3000');
    expect([first.status, first.stderrLines]).toEqual([0, []]);
    const again = spoor('keys', 'create', '--site', 'shop-a');
    expect([again.status, again.stderrLines]).toEqual([0, []]);
    expect(JSON.parse(again.stdout).writeKey).toBe(JSON.parse(first.stdout).writeKey);
  });

  it('refuses an --origin no browser would send (path, trailing slash, no scheme) with exit 2, naming the option', () => {
    for (const origin of ['https://shop.example/', 'shop.example', 'https://shop.example/cart', 'ftp://shop.example', '']) {
      const run = spoor('keys', 'create', '--site', 'shop-b', '--origin', origin);
      expect(run.status, origin).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderrLines).toHaveLength(1);
      expect(run.stderrLines[0]).toMatch(/^--origin: .*: expected an origin as browsers send it/);
    }
    // '*' (any origin) is an accepted value: no warning either.
    const any = spoor('keys', 'create', '--site', 'shop-b', '--origin', '*');
    expect([any.status, any.stderrLines]).toEqual([0, []]);
  });
});

describe('spoor keys --scopes, list, revoke, rotate', () => {
  it('creates a scoped key, lists it without its secret, rotates it (new secret) and revokes it', () => {
    expect(spoor('keys', 'create', '--site', 'shop-c', '--origin', '*').status).toBe(0);
    const legacy = JSON.parse(spoor('keys', 'list', '--site', 'shop-c').stdout) as Array<{ keyId: string }>;
    for (const key of legacy) expect(spoor('keys', 'revoke', '--key', key.keyId).status).toBe(0);
    const created = spoor('keys', 'create', '--site', 'shop-c', '--scopes', 'reports,people');
    expect(created.status).toBe(0);
    const made = JSON.parse(created.stdout) as { secret: string; keyId: string; scopes: string[] };
    const keys = { apiKey: made.secret, apiKeyId: made.keyId, scopes: made.scopes };
    expect(keys.scopes).toEqual(['reports', 'people']);
    const list = spoor('keys', 'list', '--site', 'shop-c');
    expect(list.status).toBe(0);
    expect(list.stdout).not.toContain(keys.apiKey);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ keyId: keys.apiKeyId, scopes: ['reports', 'people'], legacy: false, prefix: keys.apiKey.slice(0, 10) })]);
    const rotated = spoor('keys', 'rotate', '--key', keys.apiKeyId);
    expect(rotated.status).toBe(0);
    expect(JSON.parse(rotated.stdout).secret).not.toBe(keys.apiKey);
    expect(JSON.parse(spoor('keys', 'revoke', '--key', keys.apiKeyId).stdout)).toMatchObject({ keyId: keys.apiKeyId, revoked: true });
    expect(JSON.parse(spoor('keys', 'list', '--site', 'shop-c').stdout)).toEqual([]);
  });

  it('refuses an unknown scope with exit 2, naming the option and the scopes accepted', () => {
    const run = spoor('keys', 'create', '--site', 'shop-c', '--scopes', 'reports,sudo');
    expect(run.status).toBe(2);
    expect(run.stderrLines).toEqual([expect.stringMatching(/^--scopes: unknown scope "sudo"; accepted: reports, people, export, erase, import, admin$/)]);
  });
});
