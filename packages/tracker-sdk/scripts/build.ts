// Builds dist/spoor.js (IIFE for <script async>) and dist/esm (ESM for bundlers, types in dist/types).
// `npm run build -w @spoor/tracker-sdk`; buildBundle() is also used by the size test and the browser tests.
import { build, type BuildOptions } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export const iifeOptions: BuildOptions = {
  entryPoints: [join(packageRoot, 'src/snippet.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
};

/** The minified IIFE as a string, built from the current sources (nothing written). */
export async function buildBundle(): Promise<string> {
  const r = await build({ ...iifeOptions, write: false });
  return r.outputFiles![0]!.text;
}

export async function buildAll(): Promise<void> {
  await build({ ...iifeOptions, outfile: join(packageRoot, 'dist/spoor.js') });
  await build({
    entryPoints: [join(packageRoot, 'src/index.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    outfile: join(packageRoot, 'dist/esm/index.js'),
  });
  execFileSync(process.execPath, [join(packageRoot, '../../node_modules/typescript/bin/tsc'), '-p', join(packageRoot, 'tsconfig.types.json')], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
