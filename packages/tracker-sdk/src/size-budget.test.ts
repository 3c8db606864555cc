import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.js';

const BUDGET = 3072;

it(`dist/spoor.js stays within ${BUDGET} bytes minified + gzipped`, async () => {
  const js = await buildBundle();
  const gz = gzipSync(js, { level: 9 }).length;
  console.log(`spoor.js: ${js.length} bytes minified, ${gz} bytes gzipped (budget ${BUDGET})`);
  expect(js).not.toMatch(/zod|protobuf/);
  expect(gz, `spoor.js is ${gz} bytes gzipped, over the ${BUDGET} byte budget`).toBeLessThanOrEqual(BUDGET);
});
