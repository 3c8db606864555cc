import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from './build.js';

const repoRoot = join(packageRoot, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the root install builds the tracker (prepare-bundle.mjs)', () => {
  it('is the root prepare script, which npm runs on a local `npm install` / `npm ci` without arguments', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toBe('node packages/tracker-sdk/scripts/prepare-bundle.mjs');
  });

  it('without its build tools (npm install --omit=dev) says so in one line, names what to run, and does not fail the install', () => {
    // A copy of the tracker package's skeleton where nothing resolves: no node_modules on any parent directory.
    const dir = mkdtempSync(join(tmpdir(), 'spoor-prepare-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'package.json'), '{"name":"@spoor/tracker-sdk","type":"module"}');
    copyFileSync(join(packageRoot, 'scripts/prepare-bundle.mjs'), join(dir, 'scripts/prepare-bundle.mjs'));
    const run = spawnSync(process.execPath, [join(dir, 'scripts/prepare-bundle.mjs')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.status).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[spoor] tracker not built: esbuild, terser, typescript, tsx missing');
    expect(lines[0]).toContain('so GET /spoor.js answers 503 until it is built');
    expect(lines[0]).toContain('npm run build -w @spoor/tracker-sdk');
  });
});
