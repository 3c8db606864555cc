/**
 * `npm run lint`'s boundary check (docs/engineering.md, "Boundaries"): only configuration, assembly and entry-point
 * files read process.env or choose adapters, and no package imports another package's internals.
 * Exits non-zero naming each violation, and each temporary exception that no longer matches one (delete it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPORARY_BOUNDARY_EXCEPTIONS, type BoundaryException } from './boundary-exceptions.js';
import { matchesAny, UNCHECKED_FILES } from './boundary-rules.js';
import { findBoundaryViolations, type BoundaryViolation, type SourceFile, type WorkspacePackage } from './find-boundary-violations.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The checked files: every tracked or new (not ignored) TypeScript/JavaScript source. */
export function repositorySources(root = REPO_ROOT): SourceFile[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.mts', '*.js', '*.mjs'], { cwd: root, encoding: 'utf8' });
  const paths = [...new Set(listed.split('\n').filter(Boolean))].filter((p) => !p.endsWith('.d.ts') && !matchesAny(p, UNCHECKED_FILES));
  const files: SourceFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, text: readFileSync(join(root, path), 'utf8') });
    } catch {
      // listed but deleted in the work tree: nothing to check
    }
  }
  return files;
}

/** The workspace packages, from the root package.json's workspaces and each package's exports. */
export function workspacePackages(root = REPO_ROOT): WorkspacePackage[] {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = rootManifest.workspaces.flatMap((w) => {
    if (!w.endsWith('/*')) return [w];
    const parent = w.slice(0, -2);
    const listed = execFileSync('git', ['ls-files', '--', `${parent}/*/package.json`], { cwd: root, encoding: 'utf8' });
    return listed.split('\n').filter(Boolean).map((p) => dirname(p));
  });
  return dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; exports?: string | Record<string, unknown> };
    const exports = manifest.exports === undefined || typeof manifest.exports === 'string' ? ['.'] : Object.keys(manifest.exports);
    return { name: manifest.name, dir, exports };
  });
}

export interface BoundaryReport {
  violations: BoundaryViolation[];
  staleExceptions: BoundaryException[];
}

/** Applies the temporary exceptions: what is left is a violation, and an exception that matched nothing is stale. */
export function applyExceptions(found: readonly BoundaryViolation[], exceptions: readonly BoundaryException[]): BoundaryReport {
  const excepted = (v: BoundaryViolation) => exceptions.some((e) => e.file === v.file && e.rule === v.rule);
  const used = (e: BoundaryException) => found.some((v) => e.file === v.file && e.rule === v.rule);
  return { violations: found.filter((v) => !excepted(v)), staleExceptions: exceptions.filter((e) => !used(e)) };
}

export function checkRepository(root = REPO_ROOT): BoundaryReport {
  return applyExceptions(findBoundaryViolations(repositorySources(root), workspacePackages(root)), TEMPORARY_BOUNDARY_EXCEPTIONS);
}

function main(): void {
  const started = Date.now();
  const { violations, staleExceptions } = checkRepository();
  for (const v of violations) console.error(`${v.file}:${v.line}  ${v.rule}: ${v.detail}`);
  for (const e of staleExceptions) {
    console.error(`scripts/lint/boundary-exceptions.ts: ${e.file} no longer breaks ${e.rule}: delete its entry from TEMPORARY_BOUNDARY_EXCEPTIONS`);
  }
  if (violations.length) {
    console.error(
      `\n${violations.length} boundary violation(s). Only configuration (config/), assembly (assemble-*.ts) and entry points (main.ts, …) ` +
        `read process.env or build adapters; other packages are imported through '@spoor/<pkg>' only. See docs/engineering.md, "Boundaries".`,
    );
  }
  if (violations.length || staleExceptions.length) process.exit(1);
  console.log(`boundaries: ok (${TEMPORARY_BOUNDARY_EXCEPTIONS.length} temporary exceptions, ${Date.now() - started} ms)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
