// Rewrites the generated part of docs/admin.md from access/route-permissions.ts (permission-docs.test.ts checks it).
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_BEGIN, DOC_END, renderPermissionTables } from '../src/access/permission-docs.js';
import { COLLECTOR_ROUTE_PERMISSIONS, ROUTE_PERMISSIONS } from '../src/access/route-permissions.js';

const path = new URL('../../../docs/admin.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const begin = text.indexOf(DOC_BEGIN);
const end = text.indexOf(DOC_END);
if (begin < 0 || end < 0) throw new Error(`docs/admin.md has no ${DOC_BEGIN} … ${DOC_END}`);
writeFileSync(path, `${text.slice(0, begin + DOC_BEGIN.length)}\n${renderPermissionTables([...ROUTE_PERMISSIONS, ...COLLECTOR_ROUTE_PERMISSIONS])}\n${text.slice(end)}`);
