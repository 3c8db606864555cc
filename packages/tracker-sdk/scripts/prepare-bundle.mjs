#!/usr/bin/env node
// Run by the root `prepare` script: `npm install` (and `npm ci`) at the repository root build the browser tracker, so
// GET /spoor.js has its bundle on a fresh clone. The build tools (esbuild, terser, typescript) are dev dependencies:
// after `npm install --omit=dev` they are absent, and the install must not fail for a bundle a server-only
// deployment may not serve — so then it says so in one line and succeeds. A real build error fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..');
const fromSdk = createRequire(join(sdk, 'package.json'));

const missing = [];
for (const tool of ['esbuild', 'terser', 'typescript', 'tsx/cli']) {
  try {
    fromSdk.resolve(tool);
  } catch {
    missing.push(tool.replace('/cli', ''));
  }
}
if (missing.length > 0) {
  const consequence = existsSync(join(sdk, 'dist/spoor.js')) ? 'the existing dist/spoor.js is kept as it is' : 'GET /spoor.js answers 503 until it is built';
  console.warn(
    `[spoor] tracker not built: ${missing.join(', ')} missing (dev dependencies; e.g. npm install --omit=dev), so ${consequence} ` +
      '— build it where dev dependencies are installed: npm run build -w @spoor/tracker-sdk (writes packages/tracker-sdk/dist/spoor.js)',
  );
  process.exit(0);
}

const build = spawnSync(process.execPath, [fromSdk.resolve('tsx/cli'), join(sdk, 'scripts/build.ts')], { cwd: sdk, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[spoor] building the tracker (packages/tracker-sdk/scripts/build.ts) failed; GET /spoor.js answers 503 until it builds');
  process.exit(build.status ?? 1);
}
console.log('[spoor] tracker built: packages/tracker-sdk/dist/spoor.js');
