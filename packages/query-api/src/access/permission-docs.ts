import { KEY_SCOPES, LEGACY_KEY_SCOPES, SITE_ROLES } from './principal.js';
import { PERMISSIONS, ROLE_GRANTS, SCOPE_GRANTS } from './permissions.js';
import { describeRoutePermission } from './document-permissions.js';
import type { RoutePermission } from './route-permission.js';

export const DOC_BEGIN = '<!-- generated from access/route-permissions.ts: begin -->';
export const DOC_END = '<!-- generated from access/route-permissions.ts: end -->';

const yes = (b: boolean) => (b ? '✓' : '');

/** The role × permission and scope × permission matrices and the route → permission table, as docs/admin.md prints them. */
export function renderPermissionTables(table: readonly RoutePermission[]): string {
  const roles = ['owner', ...SITE_ROLES] as const;
  const lines: string[] = [];
  lines.push('### Roles × permissions (on a site; the owner on every site and instance-wide)', '');
  lines.push(`| permission | ${roles.join(' | ')} |`, `|---|${roles.map(() => '---').join('|')}|`);
  for (const p of PERMISSIONS) lines.push(`| \`${p}\` | ${roles.map((r) => yes(r === 'owner' || ROLE_GRANTS[r].includes(p))).join(' | ')} |`);
  lines.push('', '### Key scopes × permissions (on the key\'s own sites only; never instance-wide)', '');
  lines.push(`| permission | ${KEY_SCOPES.join(' | ')} | legacy key |`, `|---|${KEY_SCOPES.map(() => '---').join('|')}|---|`);
  for (const p of PERMISSIONS) {
    lines.push(`| \`${p}\` | ${KEY_SCOPES.map((s) => yes(SCOPE_GRANTS[s].includes(p))).join(' | ')} | ${yes(LEGACY_KEY_SCOPES.some((s) => SCOPE_GRANTS[s].includes(p)))} |`);
  }
  lines.push('', '### Routes', '', '| method | path | permission | site from | who |', '|---|---|---|---|---|');
  for (const row of table) {
    const permission = row.whenQuery ? `\`${row.permission}\`; \`${row.whenQuery.permission}\` with ${row.whenQuery.parameter}=${row.whenQuery.values.join('\\|')}` : `\`${row.permission}\``;
    lines.push(`| ${row.method} | \`${row.path}\` | ${permission} | ${row.site} | ${describeRoutePermission(row).replaceAll('|', '\\|')} |`);
  }
  return lines.join('\n');
}
