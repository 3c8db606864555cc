// Rewrites the generated settings tables of docs/configuration.md and the README from the schemas.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationTable, readmeTable, withBlock } from '../src/config/configuration-doc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
for (const [file, table] of [['docs/configuration.md', configurationTable()], ['README.md', readmeTable()]] as const) {
  const path = join(root, file);
  writeFileSync(path, withBlock(readFileSync(path, 'utf8'), table));
  console.log(`updated ${file}`);
}
