import { serveCollector } from '@spoor/collector';
import { composeSpoor, type Role } from '../all-in-one/compose-spoor.js';
import type { SpoorEnv } from '../spoor-env.js';
import { publishAdminFile } from '../admin/admin-file.js';

/**
 * Runs the given roles in this process on PORT until SIGTERM/SIGINT: stop accepting, let in-flight requests
 * finish, stop the processor after its current batch, flush and close the log, then exit 0.
 */
export async function serveRoles(env: SpoorEnv, roles: ReadonlySet<Role>, name: string): Promise<number> {
  const publicOrigins = env.SPOOR_PUBLIC_URL ? [new URL(env.SPOOR_PUBLIC_URL).origin] : [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`];
  const spoor = await composeSpoor(env, roles, publicOrigins);
  const running = await serveCollector({ app: spoor.app, port: env.PORT, hostname: env.HOST, drainTimeoutMs: 10_000, onDrained: () => spoor.close() });
  await spoor.processor?.start();
  publishAdminFile(env.SPOOR_DATA_DIR, env.HOST, running.port, spoor.localAdmin);
  for (const line of spoor.banner) console.log(line);
  const base = env.SPOOR_PUBLIC_URL ?? `http://localhost:${running.port}`;
  console.log(`\n[spoor ${name}] listening on ${env.HOST}:${running.port} — ${describe(roles, base)}`);
  return new Promise<number>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        console.log(`[spoor ${name}] ${signal}: draining`);
        running.shutdown().then(
          () => resolve(0),
          (err) => {
            console.error(`[spoor ${name}] shutdown failed: ${(err as Error).message}`);
            resolve(1);
          },
        );
      });
    }
  });
}

function describe(roles: ReadonlySet<Role>, base: string): string {
  const parts: string[] = [];
  if (roles.has('demo')) parts.push(`demo shop ${base}/`);
  if (roles.has('collector')) parts.push(`collector ${base}/v1/events`);
  if (roles.has('query-api')) parts.push(`query API ${base}/api/v1 (OpenAPI ${base}/openapi.json)`);
  if (roles.has('processor')) parts.push('processor consuming');
  return parts.join(' · ');
}
