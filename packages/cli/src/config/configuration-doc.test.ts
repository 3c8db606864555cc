import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deprecatedAliases } from '@spoor/infra';
import { blockOf, configurationTable, README_SETTINGS, readmeTable } from './configuration-doc.js';
import { spoorSettings } from './spoor-settings.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const FIX = 'run `npx tsx packages/cli/scripts/write-configuration-doc.ts`';

describe('the settings tables of the docs are the schemas', () => {
  it('docs/configuration.md lists every setting with its default, services and meaning', () => {
    expect(blockOf(read('docs/configuration.md')), FIX).toBe(configurationTable());
  });

  it("the README's short table is the same rows", () => {
    expect(blockOf(read('README.md')), FIX).toBe(readmeTable());
    for (const name of README_SETTINGS) expect(Object.keys(spoorSettings)).toContain(name);
  });

  it('every setting is described, and every deprecated name points at a setting', () => {
    for (const [name, schema] of Object.entries(spoorSettings)) expect(schema.description, name).toBeTruthy();
    for (const { alias, name } of deprecatedAliases) {
      expect(Object.keys(spoorSettings), alias).toContain(name);
      expect(Object.keys(spoorSettings), alias).not.toContain(alias);
    }
  });

  it('no doc names a deprecated spelling except as deprecated', () => {
    for (const file of ['README.md', 'docs/collector.md', 'docs/api.md', 'docs/processor.md', 'docs/retention.md', 'docs/engineering.md']) {
      const text = read(file);
      for (const { alias } of deprecatedAliases) {
        for (const line of text.split('\n').filter((l) => new RegExp(`\\b${alias}\\b`).test(l))) expect(line, `${file}: ${alias}`).toMatch(/deprecated/i);
      }
    }
  });
});
