import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_BEGIN, DOC_END, renderPermissionTables } from './permission-docs.js';
import { COLLECTOR_ROUTE_PERMISSIONS, ROUTE_PERMISSIONS } from './route-permissions.js';

const DOC = new URL('../../../../docs/admin.md', import.meta.url);

describe('docs/admin.md', () => {
  it('prints the matrices and the route table exactly as the one definition says (regenerate: npm run docs:permissions -w @spoor/query-api)', () => {
    const text = readFileSync(DOC, 'utf8');
    const begin = text.indexOf(DOC_BEGIN);
    const end = text.indexOf(DOC_END);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(text.slice(begin + DOC_BEGIN.length, end).trim()).toBe(renderPermissionTables([...ROUTE_PERMISSIONS, ...COLLECTOR_ROUTE_PERMISSIONS]));
  });
});
