import type { z } from 'zod';
import { deprecatedAliases, sharedSettings } from '@spoor/infra';
import { collectorSettings } from '@spoor/collector';
import { processorSettings } from '@spoor/processor';
import { queryApiSettings } from '@spoor/query-api';
import { spoorSettings } from './spoor-settings.js';

/**
 * The settings tables of docs/configuration.md and the README, rendered from the schemas, so the docs cannot drift
 * from the code: configuration-doc.test.ts compares the marked blocks of both files with this, and
 * `npx tsx packages/cli/scripts/write-configuration-doc.ts` rewrites them after a setting changed.
 */

/** Defaults that depend on the machine, shown as what they mean. */
const SHOWN_DEFAULTS: Record<string, string> = { COLLECTOR_ID: '`<hostname>-<pid>`' };

/** The README's short list: what an operator sets first. The full table is docs/configuration.md. */
export const README_SETTINGS = [
  'HOST', 'PORT', 'SPOOR_DATA_DIR', 'SPOOR_PUBLIC_URL', 'SPOOR_OWNER_EMAIL', 'KAFKA_BROKERS', 'CLICKHOUSE_URL', 'REDIS_URL', 'GEOIP_DB', 'LINK_SIGNING_SECRETS',
  'TRUSTED_PROXIES', 'IP_ANONYMISATION', 'RATE_LIMIT_IP_PER_SECOND', 'RATE_LIMIT_SITE_EVENTS_PER_SECOND', 'SPOOR_RETENTION_DAYS',
] as const;

export function shownDefault(name: string): string {
  if (SHOWN_DEFAULTS[name]) return SHOWN_DEFAULTS[name];
  const schema = (spoorSettings as Record<string, z.ZodType>)[name]!;
  const parsed = schema.safeParse(undefined);
  const value: unknown = parsed.success ? parsed.data : undefined;
  if (Array.isArray(value)) {
    const items = (value as unknown[]).filter((v): v is string => typeof v === 'string');
    return items.length ? `\`${items.join(',')}\`` : 'unset';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `\`${value}\``;
  return 'unset';
}

export function servicesOf(name: string): string {
  if (name in sharedSettings) return 'all';
  return [
    name in collectorSettings ? 'collector' : '',
    name in processorSettings ? 'processor' : '',
    name in queryApiSettings ? 'query API' : '',
  ].filter(Boolean).join(', ');
}

function row(name: string): string {
  const description = (spoorSettings as Record<string, z.ZodType>)[name]!.description ?? '';
  const alias = deprecatedAliases.filter((a) => a.name === name).map((a) => `\`${a.alias}\``);
  const deprecated = alias.length ? ` Deprecated name: ${alias.join(', ')}.` : '';
  return `| \`${name}\` | ${shownDefault(name)} | ${servicesOf(name)} | ${description.replaceAll('|', '\\|')}${deprecated} |`;
}

const HEADER = ['| setting | default | read by | meaning |', '|---|---|---|---|'];

/** Every setting, shared ones first, then per service in the schemas' order. */
export function configurationTable(): string {
  return [...HEADER, ...Object.keys(spoorSettings).map(row)].join('\n');
}

export function readmeTable(): string {
  return [...HEADER, ...README_SETTINGS.map(row)].join('\n');
}

export const BLOCK = { start: '<!-- settings:start (generated from the schemas: packages/cli/scripts/write-configuration-doc.ts) -->', end: '<!-- settings:end -->' };

/** The generated block of a document (between the markers), or undefined when it has none. */
export function blockOf(text: string): string | undefined {
  const start = text.indexOf(BLOCK.start);
  const end = text.indexOf(BLOCK.end);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + BLOCK.start.length, end).trim();
}

export function withBlock(text: string, table: string): string {
  const start = text.indexOf(BLOCK.start);
  const end = text.indexOf(BLOCK.end);
  if (start < 0 || end < start) throw new Error('no settings block: add the markers first');
  return `${text.slice(0, start)}${BLOCK.start}\n${table}\n${text.slice(end)}`;
}
