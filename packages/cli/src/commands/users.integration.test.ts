import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `spoor users …`, as child processes on embedded chDB in a data directory of their own (server stopped). */
const SPOOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/spoor.mjs');
let dataDir: string;

function spoor(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, SPOOR_DATA_DIR: dataDir };
  for (const name of ['CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_CLUSTER', 'SPOOR_PUBLIC_URL']) delete env[name];
  const run = spawnSync(process.execPath, [SPOOR_BIN, ...args], { env, encoding: 'utf8', timeout: 110_000 });
  return { status: run.status, stdout: run.stdout, stderrLines: run.stderr.split('\n').filter((l) => l.trim() !== '') };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'spoor-users-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('spoor users', () => {
  it('create prints the user and a one-time set-up link; list shows roles and no secrets; setup-link makes a new token', () => {
    const created = spoor('users', 'create', '--email', 'Ann@Shop.Example', '--name', 'Ann', '--role', 'shop-a=analyst', '--role', 'shop-b=support');
    expect(created.status).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out.user).toMatchObject({ email: 'ann@shop.example', display_name: 'Ann', has_password: false, roles: { 'shop-a': 'analyst', 'shop-b': 'support' } });
    expect(out.setup.link).toBe(`/app/setup#token=${out.setup.token}`);

    const list = spoor('users', 'list');
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout).map((u: { email: string }) => u.email)).toEqual(['ann@shop.example']);
    expect(list.stdout).not.toMatch(/scrypt|token/);

    const link = spoor('users', 'setup-link', '--email', 'ann@shop.example');
    expect(link.status).toBe(0);
    expect(JSON.parse(link.stdout).token).not.toBe(out.setup.token);
  });

  it('bad input is exit 2 with one line naming the field', () => {
    const taken = spoor('users', 'create', '--email', 'ann@shop.example');
    expect([taken.status, taken.stderrLines]).toEqual([2, ['email: a user with this email exists already']]);
    const role = spoor('users', 'create', '--email', 'bob@shop.example', '--role', 'shop-a=boss');
    expect(role.status).toBe(2);
    expect(role.stderrLines).toEqual([expect.stringMatching(/^roles\.shop-a: expected one of admin, analyst, marketer, support/)]);
    const unknown = spoor('users', 'setup-link', '--email', 'nobody@shop.example');
    expect(unknown.status).toBe(1);
    expect(unknown.stderrLines).toHaveLength(1);
  });
});
