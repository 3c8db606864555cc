import type { Command } from './command.js';
import { serveRoles } from './serve-roles.js';
import type { Role } from '../all-in-one/compose-spoor.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'run everything in one process: collector, processor, query API and the demo shop on PORT',
  usage: 'spoor start [--env-file <path>]   (settings: docs/configuration.md)',
  run: (_args, env) => serveRoles(env, new Set<Role>(['collector', 'processor', 'query-api', 'demo']), 'start'),
};

/** Each service alone, for scaling out: same code, same env, listening on PORT too. */
export const serviceCommands: Command[] = (['collector', 'processor', 'query-api'] as const).map((role) => ({
  name: role,
  summary: `run only the ${role} (scale out: several processes against Kafka, a ClickHouse server and Redis)`,
  usage: `spoor ${role} [--env-file <path>]`,
  run: (_args, env) => serveRoles(env, new Set<Role>([role]), role),
}));
