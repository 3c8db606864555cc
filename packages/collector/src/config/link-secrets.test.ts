import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@spoor/infra';
import { resolveLinkSecrets } from './link-secrets.js';

const secret = 'x'.repeat(32);
const settings = (over: Partial<Parameters<typeof resolveLinkSecrets>[0]> = {}) => ({ LINK_SIGNING_SECRETS: [], SPOOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'spoor-ls-')), ...over });

describe('link secrets', () => {
  it('are LINK_SIGNING_SECRETS when set, all of them (the first signs)', () => {
    expect(resolveLinkSecrets(settings({ LINK_SIGNING_SECRETS: [secret, 'y'.repeat(40)] }))).toEqual([secret, 'y'.repeat(40)]);
  });

  it('refuse a short secret, naming the setting', () => {
    expect(() => resolveLinkSecrets(settings({ LINK_SIGNING_SECRETS: ['short'] }))).toThrow(/LINK_SIGNING_SECRETS.*at least 32/);
  });

  it('are read from a file only its owner can read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spoor-secret-')), 'link-secrets');
    writeFileSync(file, `${secret}\n${'z'.repeat(40)}\n`);
    chmodSync(file, 0o644);
    expect(() => resolveLinkSecrets(settings({ LINK_SIGNING_SECRET_FILE: file }))).toThrow(ConfigurationError);
    expect(() => resolveLinkSecrets(settings({ LINK_SIGNING_SECRET_FILE: file }))).toThrow(/LINK_SIGNING_SECRET_FILE.*chmod 600/);
    chmodSync(file, 0o600);
    expect(resolveLinkSecrets(settings({ LINK_SIGNING_SECRET_FILE: file }))).toEqual([secret, 'z'.repeat(40)]);
  });

  it('are generated once into the data dir when unset, owner-only, the same on the next start', () => {
    const config = settings();
    const [first] = resolveLinkSecrets(config);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(config.SPOOR_DATA_DIR, 'link-secret')).mode & 0o777).toBe(0o600);
    expect(resolveLinkSecrets(config)).toEqual([first]);
  });

  it('narrow a generated file others could read back to 0600', () => {
    const config = settings();
    writeFileSync(join(config.SPOOR_DATA_DIR, 'link-secret'), 's'.repeat(40));
    chmodSync(join(config.SPOOR_DATA_DIR, 'link-secret'), 0o644);
    expect(resolveLinkSecrets(config)).toEqual(['s'.repeat(40)]);
    expect(statSync(join(config.SPOOR_DATA_DIR, 'link-secret')).mode & 0o777).toBe(0o600);
  });
});
