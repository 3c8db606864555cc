/**
 * The package-boundary rules, as data: which files may read `process.env` or choose adapters, and which adapter
 * factories count as a choice. Checked by check-boundaries.ts (run by `npm run lint`, so by `npm test`);
 * explained in docs/engineering.md ("Boundaries").
 *
 * The allow-list is written by pattern, not by file, so it keeps holding while services gain settings and
 * assemblies: a new `packages/<svc>/src/config/<svc>-settings.ts` or `assemble-<svc>.ts` needs no edit here.
 */

export type BoundaryRule = 'process-env' | 'adapter-choice' | 'package-internals';

/**
 * Files that may read `process.env` and choose adapters (Kafka or file log, ClickHouse server or chDB, Redis or
 * in-process). Everything else receives parsed settings and built adapters as arguments.
 * Globs: `*` is any run of characters within one path segment, `**` any number of whole segments.
 */
export const WIRING_FILES: readonly string[] = [
  // Configuration: the shared vocabulary and each service's settings (packages/<svc>/src/config/<svc>-settings.ts
  // extending infra/src/config/shared-settings.ts); infra/src/config/open-adapters.ts turns settings into adapters.
  'infra/src/config/**',
  'packages/*/src/config/**',
  // Assembly: one `assemble<Service>(config, adapters)` per service, used by every entry point.
  'packages/*/src/**/assemble-*.ts',
  // Entry points: the thin service mains, replay, the `spoor` launcher, the processor's fault drills
  // (drill-child.ts is a process of its own; drill-harness.ts starts it with an environment).
  'packages/*/src/**/main.ts',
  'packages/*/src/**/*-main.ts',
  'packages/*/bin/**',
  'packages/*/src/drills/**',
  // Developer tools that run as their own processes, never inside a service: benchmarks, package scripts,
  // `npm run infra:up`/`infra:down` and the local Kafka/Redis launchers behind them, repository scripts.
  'packages/*/bench/**',
  'packages/*/scripts/**',
  'infra/src/cli/**',
  'infra/src/local/**',
  'scripts/**',
  // Tests and the test harness: they build whatever adapters the case needs.
  '**/*.test.ts',
  '**/*.kill-child.ts',
  '**/*-test-app.ts',
  'test/**',
  'packages/*/test-support/**',
  'packages/*/src/test-support/**',
  'packages/*/src/testing/**',
  'vitest.config.ts',
  'eslint.config.js',
];

/** The adapters' own modules: they define (and re-export) the factories, which is not choosing between them. */
export const ADAPTER_HOMES: readonly string[] = ['infra/src/event-log/**', 'infra/src/key-value/**', 'infra/src/clickhouse/**', 'infra/src/index.ts'];

/**
 * Importing one of these as a value means the file builds a concrete adapter, i.e. chooses one. Not listed, because
 * they are how everyone else gets adapters: `openEventLog`, `openKeyValue` and `openStore` of
 * infra/src/config/open-adapters.ts, which make the choice from the settings they are given.
 */
export const ADAPTER_FACTORIES: ReadonlySet<string> = new Set([
  'createKafkaEventLog',
  'createFileEventLog',
  'createRedisKeyValue',
  'connectRedisKeyValue',
  'createMemoryKeyValue',
  'createClickHouse',
]);

/** Client libraries of the real components: a value import of any of them builds a connection of its own. */
export const ADAPTER_CLIENT_MODULES: ReadonlySet<string> = new Set(['kafkajs', 'ioredis', 'chdb', 'chdb/connection']);
/** `@clickhouse/client` is imported for its types everywhere; only its factory is a choice. */
export const CLICKHOUSE_CLIENT_MODULE = '@clickhouse/client';
export const CLICKHOUSE_CLIENT_FACTORY = 'createClient';

/** Files that are never checked: generated code and the static demo shop. */
export const UNCHECKED_FILES: readonly string[] = ['packages/events/src/generated/**', 'packages/tracker-sdk/demo/**', '**/dist/**'];

/** Makes a RegExp of a glob (see WIRING_FILES for the syntax). */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}
