import { parseArgs } from 'node:util';
import type { Role } from '../all-in-one/compose-spoor.js';
import type { Command } from './command.js';
import { serveRoles } from './serve-roles.js';

const ROLES: readonly Role[] = ['collector', 'processor', 'query-api', 'demo'];

/** The roles of `--roles a,b`, or an error naming the flag, the bad value and what is accepted. */
export function parseRoles(value: string | undefined): Set<Role> {
  const names = (value ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (!names.length) throw new Error(`--roles: required, a comma-separated list of ${ROLES.join(', ')}`);
  const unknown = names.filter((r) => !ROLES.includes(r as Role));
  if (unknown.length) throw new Error(`--roles: ${unknown.map((r) => JSON.stringify(r)).join(', ')} (accepted: ${ROLES.join(', ')})`);
  return new Set(names as Role[]);
}

/**
 * Any set of roles in one process on PORT — e.g. the processor and the query API together beside separate
 * collectors, since embedded chDB allows one process per data directory. `spoor start` is `serve --roles` with all of
 * them; `spoor collector` one alone.
 */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the chosen roles in one process on PORT (e.g. --roles processor,query-api beside separate collectors)',
  usage: `spoor serve --roles <${ROLES.join('|')}>[,…]`,
  run(args, env) {
    const { values } = parseArgs({ args, options: { roles: { type: 'string' } } });
    const roles = parseRoles(values.roles);
    return serveRoles(env, roles, `serve ${[...roles].join(',')}`);
  },
};
