import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, ensureDataDir, type ConfigIssue } from '@spoor/infra';
import type { CollectorConfig } from './collector-settings.js';

/**
 * The global HMAC secrets of email links (the fallback key: it signs for sites without keys of their own and
 * verifies every token without a key id), the same way under every entry point: LINK_SIGNING_SECRETS, then the
 * lines of LINK_SIGNING_SECRET_FILE; when neither is set, one secret generated on first start into the data dir
 * (mode 0600, never in the repository), so links signed yesterday still verify today. Several collectors on
 * different machines must share one: set LINK_SIGNING_SECRETS (or the file) on all of them.
 */
export function resolveLinkSecrets(config: Pick<CollectorConfig, 'LINK_SIGNING_SECRETS' | 'LINK_SIGNING_SECRET_FILE' | 'SPOOR_DATA_DIR'>): string[] {
  const issues: ConfigIssue[] = [];
  const secrets = [...config.LINK_SIGNING_SECRETS];
  const file = config.LINK_SIGNING_SECRET_FILE;
  if (file) {
    try {
      // Whoever reads the file can sign links for every site without keys of its own: owner only.
      if ((statSync(file).mode & 0o077) !== 0) throw new Error('readable by others: chmod 600 it');
      secrets.push(...readFileSync(file, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean));
    } catch (err) {
      issues.push({ key: 'LINK_SIGNING_SECRET_FILE', value: file, accepted: (err as Error).message });
    }
  }
  if (secrets.some((s) => s.length < 32)) issues.push({ key: 'LINK_SIGNING_SECRETS', value: '(hidden)', accepted: 'every secret at least 32 characters' });
  if (issues.length) throw new ConfigurationError(issues);
  return secrets.length ? secrets : [generatedSecret(ensureDataDir(config))];
}

function generatedSecret(dataDir: string): string {
  const file = join(dataDir, 'link-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  // A copy restored or created by hand may have kept a wider mode: whoever reads it can sign links, so owner only.
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
