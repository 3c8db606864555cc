// Builds dist/spoor.js (IIFE for <script async>) and dist/esm (ESM for bundlers, types in dist/types).
// `npm run build -w @spoor/tracker-sdk`; buildBundle() is also used by the size test and the browser tests.
//
// The IIFE is bundled by esbuild and minified by terser, which compresses a few percent better and
// can rename the properties of the SDK's internal objects (ports, outbox) that never meet user code.
import { build, type BuildOptions } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Internal property names: the Env ports and the outbox. Public names (API, config, plugin hooks, wire fields) stay. */
const INTERNAL_PROPS = /^(store|outbox|transport|uuid|online|blocked|all|add|drop|clear|post|beacon|retryAfter|del)$/;

const esmOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
};

/** The minified IIFE as a string, built from the current sources (nothing written). */
export async function buildBundle(): Promise<string> {
  const r = await build({ ...esmOptions, entryPoints: [join(packageRoot, 'src/snippet.ts')], format: 'iife', write: false, minifySyntax: true });
  const out = await minify(r.outputFiles[0]!.text, {
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
    mangle: { properties: { regex: INTERNAL_PROPS } },
  });
  // strict mode changes nothing for this code; the directive is 13 bytes
  return out.code!.replace(/^"use strict";/, '');
}

export async function buildAll(): Promise<void> {
  // a clean dist: no declarations left over from removed sources
  rmSync(join(packageRoot, 'dist'), { recursive: true, force: true });
  mkdirSync(join(packageRoot, 'dist'), { recursive: true });
  writeFileSync(join(packageRoot, 'dist/spoor.js'), await buildBundle());
  await build({ ...esmOptions, entryPoints: [join(packageRoot, 'src/index.ts')], outfile: join(packageRoot, 'dist/esm/index.js') });
  execFileSync(process.execPath, [join(packageRoot, '../../node_modules/typescript/bin/tsc'), '-p', join(packageRoot, 'tsconfig.types.json')], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
