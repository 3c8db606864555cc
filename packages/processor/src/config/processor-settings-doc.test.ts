import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedSettings } from '@spoor/infra';
import { processorDeprecatedAliases, processorSettings } from './processor-settings.js';

/** docs/processor.md's settings table and the schema name the same settings (the processor's own, and the shared ones it lists). */
const doc = readFileSync(new URL('../../../../docs/processor.md', import.meta.url), 'utf8');
const table = doc.slice(doc.indexOf('| variable | default | meaning |'), doc.indexOf('Flags accept'));
const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));

describe('docs/processor.md settings table', () => {
  it('lists every setting only the processor reads', () => {
    const own = Object.keys(processorSettings).filter((name) => !(name in sharedSettings));
    expect(own.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('names no variable the processor does not read (deprecated spellings aside)', () => {
    const deprecated = new Set(processorDeprecatedAliases.map((a) => a.alias));
    expect([...documented].filter((name) => !(name in processorSettings) && !deprecated.has(name))).toEqual([]);
  });

  it('gives the schema defaults', () => {
    const defaults = processorSettingsDefaults();
    for (const [name, value] of Object.entries(defaults)) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      if (row && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) expect(row.split('|')[2], name).toContain(String(value));
    }
  });
});

function processorSettingsDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(processorSettings)) {
    const parsed = schema.safeParse(undefined);
    if (parsed.success) out[name] = parsed.data;
  }
  return out;
}
