import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkSecrets } from './link-secret.js';

describe('global link secret', () => {
  it('is generated once into the data dir, owner-only, and the same on the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-ls-'));
    const [first] = linkSecrets(dir, undefined);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, 'link-secret')).mode & 0o777).toBe(0o600);
    expect(linkSecrets(dir, undefined)).toEqual([first]);
  });

  it('narrows a file others could read back to 0600; SPOOR_LINK_SECRET wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-ls-'));
    writeFileSync(join(dir, 'link-secret'), 's'.repeat(40));
    chmodSync(join(dir, 'link-secret'), 0o644);
    expect(linkSecrets(dir, undefined)).toEqual(['s'.repeat(40)]);
    expect(statSync(join(dir, 'link-secret')).mode & 0o777).toBe(0o600);
    expect(linkSecrets(dir, 'e'.repeat(40))).toEqual(['e'.repeat(40)]);
  });
});
