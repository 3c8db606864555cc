import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from '@spoor/infra';
import { adminFilePath, readAdminFile } from './admin-file.js';

/**
 * The real `spoor` CLI beside a real `spoor start` (child processes on embedded chDB, which allows one process per
 * data dir): administrative commands go through the running server, then — once it stopped — straight to the store.
 */
const SPOOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/spoor.mjs');
let dataDir: string;
let server: ChildProcess | undefined;
let serverOutput = '';

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SPOOR_DATA_DIR: dataDir, HOST: '127.0.0.1' };
  for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_CLUSTER']) delete env[name];
  return env;
}

function spoor(...args: string[]) {
  const run = spawnSync(process.execPath, [SPOOR_BIN, ...args], { env: childEnv(), encoding: 'utf8', timeout: 110_000 });
  return { status: run.status, stdout: run.stdout, stderrLines: run.stderr.split('\n').filter((l) => l.trim() !== '') };
}

const json = (run: { stdout: string }) => JSON.parse(run.stdout);
const exited = (child: ChildProcess) => (child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((r) => child.once('exit', (code) => r(code))));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'spoor-admin-target-'));
  const port = await freePort();
  server = spawn(process.execPath, [SPOOR_BIN, 'start'], { env: { ...childEnv(), PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d: Buffer) => (serverOutput += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (serverOutput += d.toString()));
  // admin.json appears once the server listens: the condition the CLI itself relies on.
  await waitUntil('spoor start to publish admin.json', async () => server!.exitCode === null && readAdminFile(dataDir) !== undefined, 120_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${serverOutput}`);
  });
}, 130_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await exited(server);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('while spoor start runs', () => {
  it('publishes admin.json for its owner only, with a loopback URL and a long random token', () => {
    const file = readAdminFile(dataDir)!;
    expect(file.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(file.token.length).toBeGreaterThanOrEqual(43);
    expect(statSync(adminFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('spoor sites create / set / show / list, spoor keys create, spoor users create and spoor migrate succeed through the server', () => {
    const created = spoor('sites', 'create', '--site', 'live-shop', '--origin', 'https://live.example');
    expect([created.status, created.stderrLines]).toEqual([0, []]);
    expect(json(created)).toMatchObject({ site: 'live-shop', allowed_origins: ['https://live.example'], api_key: expect.stringMatching(/^sk_/) });

    const set = spoor('sites', 'set', '--site', 'live-shop', '--retention-days', '30', '--gpc', 'ignore');
    expect([set.status, set.stderrLines]).toEqual([0, []]);
    expect(json(set)).toMatchObject({ site: 'live-shop', retention_days: 30, honour_gpc: false, allowed_origins: ['https://live.example'] });
    expect(json(spoor('sites', 'list')).map((s: { site: string }) => s.site)).toEqual(['demo', 'live-shop']);

    const keys = spoor('keys', 'create', '--site', 'live-shop');
    expect([keys.status, keys.stderrLines]).toEqual([0, []]);
    expect(json(keys)).toMatchObject({ siteId: 'live-shop', writeKey: json(created).write_key, apiKey: expect.stringMatching(/^sk_/) });

    const user = spoor('users', 'create', '--email', 'ann@live.example', '--role', 'live-shop=analyst');
    expect([user.status, user.stderrLines]).toEqual([0, []]);
    expect(json(user)).toMatchObject({ user: { email: 'ann@live.example', roles: { 'live-shop': 'analyst' } }, setup: { token: expect.any(String) } });
    const badUser = spoor('users', 'create', '--email', 'not-an-email');
    expect([badUser.status, badUser.stderrLines.length]).toEqual([2, 1]);
    expect(badUser.stderrLines[0]).toMatch(/^email: /);

    const migrated = spoor('migrate');
    expect([migrated.status, migrated.stderrLines]).toEqual([0, []]);
    expect(migrated.stdout).toContain(`the server at ${readAdminFile(dataDir)!.url}`);
  });

  it('spoor users create / list / setup-link succeed through the server; a taken email is one line naming the field', () => {
    const created = spoor('users', 'create', '--email', 'live@shop.example', '--role', 'live-shop=analyst');
    expect([created.status, created.stderrLines]).toEqual([0, []]);
    expect(json(created)).toMatchObject({ user: { email: 'live@shop.example', roles: { 'live-shop': 'analyst' } }, setup: { token: expect.any(String) } });
    expect(json(spoor('users', 'list')).map((u: { email: string }) => u.email)).toEqual(['owner@localhost', 'ann@live.example', 'live@shop.example']);
    expect(spoor('users', 'setup-link', '--email', 'live@shop.example').status).toBe(0);
    const taken = spoor('users', 'create', '--email', 'live@shop.example');
    expect(taken.status).not.toBe(0);
    expect(taken.stderrLines).toEqual([expect.stringContaining('email: a user with this email exists already')]);
  });

  it('spoor keys create --scopes / list / rotate / revoke go through the server; a revoked secret is 401 on its next request', async () => {
    const { url } = readAdminFile(dataDir)!;
    const overview = async (secret: string) => (await fetch(`${url}/api/v1/overview?site=live-shop`, { headers: { authorization: `Bearer ${secret}` } })).status;
    const created = spoor('keys', 'create', '--site', 'live-shop', '--scopes', 'reports', '--name', 'dashboard');
    expect([created.status, created.stderrLines]).toEqual([0, []]);
    const key = json(created);
    expect(key).toMatchObject({ siteIds: ['live-shop'], scopes: ['reports'], name: 'dashboard', createdBy: 'local-admin', secret: expect.stringMatching(/^sk_/) });
    expect(await overview(key.secret)).toBe(200);

    const listed = spoor('keys', 'list', '--site', 'live-shop');
    expect([listed.status, listed.stderrLines]).toEqual([0, []]);
    expect(json(listed).map((k: { keyId: string }) => k.keyId)).toContain(key.keyId);
    expect(listed.stdout).not.toContain(key.secret);

    const rotated = spoor('keys', 'rotate', '--key', key.keyId);
    expect([rotated.status, rotated.stderrLines]).toEqual([0, []]);
    expect(json(rotated)).toMatchObject({ keyId: key.keyId, scopes: ['reports'], secret: expect.stringMatching(/^sk_/) });
    expect(await overview(key.secret)).toBe(401);
    expect(await overview(json(rotated).secret)).toBe(200);

    const revoked = spoor('keys', 'revoke', '--key', key.keyId);
    expect([revoked.status, revoked.stderrLines]).toEqual([0, []]);
    expect(json(revoked)).toMatchObject({ keyId: key.keyId, revoked: true });
    expect(await overview(json(rotated).secret)).toBe(401);
    expect(json(spoor('keys', 'list', '--site', 'live-shop')).map((k: { keyId: string }) => k.keyId)).not.toContain(key.keyId);

    const unknown = spoor('keys', 'revoke', '--key', 'key_000000000000');
    expect([unknown.status, unknown.stderrLines]).toEqual([1, ['spoor keys revoke: no API key "key_000000000000"']]);
  });

  it('the same validation as the API: a bad option is refused (exit 2) in one line naming it, before any request', () => {
    const run = spoor('sites', 'set', '--site', 'live-shop', '--redirect-host', 'https://live.example/path');
    expect(run.status).toBe(2);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/^--redirect-host: "https:\/\/live\.example\/path": expected a lowercase host name/);
  });

  it('an admin.json naming a server that does not answer, while the data dir is held: one line, exit 1', () => {
    const file = adminFilePath(dataDir);
    const real = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:9', token: 'x'.repeat(43) }), { mode: 0o600 });
    try {
      const run = spoor('sites', 'list');
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderrLines).toEqual([expect.stringMatching(/^spoor sites: .* is used by a running server that does not answer at http:\/\/127\.0\.0\.1:9; /)]);
    } finally {
      writeFileSync(file, real, { mode: 0o600 });
    }
  });
});

describe('after spoor start stopped', () => {
  beforeAll(async () => {
    server!.kill('SIGTERM');
    expect(await exited(server!)).toBe(0);
  }, 60_000);

  it('removed admin.json at its clean shutdown', () => {
    expect(existsSync(adminFilePath(dataDir))).toBe(false);
  });

  it('the same commands work on the store directly, and see what was done through the server', () => {
    expect(json(spoor('sites', 'show', '--site', 'live-shop'))).toMatchObject({ retention_days: 30, honour_gpc: false });
    const created = spoor('sites', 'create', '--site', 'offline-shop', '--origin', 'https://offline.example');
    expect([created.status, created.stderrLines]).toEqual([0, []]);
    expect([spoor('keys', 'create', '--site', 'offline-shop').status, spoor('migrate').status]).toEqual([0, 0]);
    expect(json(spoor('users', 'list')).map((u: { email: string }) => u.email)).toContain('ann@live.example');
  });

  it('spoor keys create --scopes / list / rotate / revoke work on the store and see the keys made through the server', () => {
    const all = json(spoor('keys', 'list', '--site', 'live-shop', '--include-revoked'));
    expect(all).toContainEqual(expect.objectContaining({ name: 'dashboard', revoked: true }));
    const created = spoor('keys', 'create', '--site', 'live-shop', '--scopes', 'reports,import');
    expect([created.status, created.stderrLines]).toEqual([0, []]);
    const key = json(created);
    expect(key).toMatchObject({ scopes: ['reports', 'import'], createdBy: 'cli', secret: expect.stringMatching(/^sk_/) });
    const rotated = spoor('keys', 'rotate', '--key', key.keyId);
    expect([rotated.status, json(rotated).secret === key.secret]).toEqual([0, false]);
    expect(json(spoor('keys', 'revoke', '--key', key.keyId))).toMatchObject({ keyId: key.keyId, revoked: true });
    expect(json(spoor('keys', 'list', '--site', 'live-shop')).map((k: { keyId: string }) => k.keyId)).not.toContain(key.keyId);
  });

  it('spoor users on the store sees the users made through the server', () => {
    expect(json(spoor('users', 'list')).map((u: { email: string }) => u.email)).toEqual(['owner@localhost', 'ann@live.example', 'live@shop.example']);
  });

  it('a stale admin.json (its server killed) does not block: the data dir is free, so the store is used', () => {
    writeFileSync(adminFilePath(dataDir), JSON.stringify({ url: 'http://127.0.0.1:9', token: 'x'.repeat(43) }), { mode: 0o600 });
    const run = spoor('sites', 'list');
    expect([run.status, run.stderrLines]).toEqual([0, []]);
    expect(json(run).map((s: { site: string }) => s.site)).toEqual(['demo', 'live-shop', 'offline-shop']);
  });
});
