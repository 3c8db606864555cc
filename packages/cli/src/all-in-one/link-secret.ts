import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The HMAC secret for email links: SPOOR_LINK_SECRET when set; otherwise one generated on first start into
 * the data directory (mode 0600, never in the repository), so links signed yesterday still verify today.
 */
export function linkSecrets(dataDir: string, fromEnv: string | undefined): string[] {
  if (fromEnv) return [fromEnv];
  const file = join(dataDir, 'link-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return [readFileSync(file, 'utf8').trim()];
}
