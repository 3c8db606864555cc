import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The global HMAC secret for email links (the fallback key: it signs for sites without keys of their own and verifies
 * every token without a key id): SPOOR_LINK_SECRET when set; otherwise one generated on first start into the data
 * directory (mode 0600, never in the repository), so links signed yesterday still verify today.
 */
export function linkSecrets(dataDir: string, fromEnv: string | undefined): string[] {
  if (fromEnv) return [fromEnv];
  const file = join(dataDir, 'link-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  // A copy restored or created by hand may have kept a wider mode: whoever reads it can sign links, so owner only.
  chmodSync(file, 0o600);
  return [readFileSync(file, 'utf8').trim()];
}
