import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminTargetError, withAdminTarget } from './admin-target.js';

/** The decision alone, with handlers that say which way was taken (the real processes: admin-target.integration.test.ts). */
let dataDir: string;
const taken = { viaServer: async () => 'server', viaStore: async () => 'store' };
const lockError = async (): Promise<string> => {
  throw new Error("Failed to create connection for path '/x/clickhouse'");
};
const writeAdminFile = () => writeFileSync(join(dataDir, 'admin.json'), JSON.stringify({ url: 'http://127.0.0.1:9', token: 't'.repeat(43) }));

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'spoor-target-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('withAdminTarget', () => {
  it('no admin.json: the store', async () => {
    expect(await withAdminTarget(dataDir, taken, { answers: async () => true })).toBe('store');
  });

  it('an admin.json whose server answers: the server', async () => {
    writeAdminFile();
    expect(await withAdminTarget(dataDir, taken, { answers: async () => true })).toBe('server');
  });

  it('an admin.json whose server does not answer: the store when it is free, else one line naming the URL', async () => {
    writeAdminFile();
    expect(await withAdminTarget(dataDir, taken, { answers: async () => false })).toBe('store');
    const held = withAdminTarget(dataDir, { ...taken, viaStore: lockError }, { answers: async () => false });
    await expect(held).rejects.toThrow(AdminTargetError);
    await expect(held).rejects.toThrow(/is used by a running server that does not answer at http:\/\/127\.0\.0\.1:9; /);
  });

  it('a store held by a live process (chDB status file) is refused before it is opened', async () => {
    const store = join(dataDir, 'clickhouse');
    mkdirSync(store);
    // The parent of this test process: alive, a node process (vitest), and not this process itself.
    writeFileSync(join(store, 'status'), `PID: ${process.ppid}\nStarted at: now\n`);
    let opened = false;
    const run = withAdminTarget(dataDir, { ...taken, viaStore: async () => ((opened = true), 'store') }, { embeddedStore: store });
    await expect(run).rejects.toThrow(/is used by another process that offers no admin API/);
    expect(opened).toBe(false);
    // A status file naming a process that is gone does not hold the store.
    writeFileSync(join(store, 'status'), 'PID: 999999999\n');
    expect(await withAdminTarget(dataDir, taken, { embeddedStore: store })).toBe('store');
  });

  it('other store failures pass through unchanged', async () => {
    await expect(withAdminTarget(dataDir, { ...taken, viaStore: async () => Promise.reject(new Error('disk full')) })).rejects.toThrow('disk full');
  });
});
