import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(packageDir, 'scripts/generate-protobuf.mjs');
const runCheck = (...args: string[]) => {
  try {
    return { code: 0, output: execFileSync('node', [script, '--check', ...args], { cwd: packageDir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { code: e.status, output: e.stderr };
  }
};

describe('generated protobuf code', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'spoor-stale-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is up to date with proto/spoor.proto', () => {
    const result = runCheck();
    expect(result).toEqual({ code: 0, output: expect.stringContaining('up to date') });
  });

  it('the check fails when the .proto changed but the code was not regenerated', () => {
    const proto = join(scratch, 'spoor.proto');
    const generated = join(scratch, 'generated');
    cpSync(join(packageDir, 'proto/spoor.proto'), proto);
    cpSync(join(packageDir, 'src/generated'), generated, { recursive: true });
    expect(runCheck('--proto', proto, '--out', generated).code).toBe(0);

    writeFileSync(proto, readFileSync(proto, 'utf8').replace('Origin origin = 12;', 'Origin origin = 12;\n  string page_title = 13;'));
    const stale = runCheck('--proto', proto, '--out', generated);
    expect(stale.code).toBe(1);
    expect(stale.output).toMatch(/stale generated protobuf code: spoor\.js, spoor\.d\.ts/);
  });
});
