import { serveCollector } from '@spoor/collector';
import { composeSpoor, type Role } from '../all-in-one/compose-spoor.js';
import type { SpoorConfig } from '../config/spoor-settings.js';
import { publishAdminFile } from '../admin/admin-file.js';

/**
 * Runs the given roles in this process on PORT until SIGTERM/SIGINT: stop accepting, let in-flight requests
 * finish (SHUTDOWN_DRAIN_MS), stop the processor after its current batch, flush and close the log, then exit 0.
 */
export async function serveRoles(config: SpoorConfig, roles: ReadonlySet<Role>, name: string): Promise<number> {
  const publicOrigins = config.SPOOR_PUBLIC_URL ? [new URL(config.SPOOR_PUBLIC_URL).origin] : [`http://localhost:${config.PORT}`, `http://127.0.0.1:${config.PORT}`];
  const spoor = await composeSpoor(config, roles, publicOrigins);
  let running;
  try {
    running = await serveCollector({ app: spoor.app, port: config.PORT, hostname: config.HOST, drainTimeoutMs: config.SHUTDOWN_DRAIN_MS, onDrained: () => spoor.close() });
  } catch (err) {
    // The port is taken (or the address is not ours): release what was opened, then report it in one line.
    await spoor.close();
    throw err;
  }
  await spoor.processor?.start();
  publishAdminFile(config.SPOOR_DATA_DIR, config.HOST, running.port, spoor.localAdmin);
  for (const line of spoor.banner) console.log(line);
  const base = config.SPOOR_PUBLIC_URL ?? `http://localhost:${running.port}`;
  console.log(`\n[spoor ${name}] listening on ${config.HOST}:${running.port} — ${describe(roles, base)}`);
  return new Promise<number>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        spoor.startShutdown();
        console.log(`[spoor ${name}] ${signal}: draining`);
        running.shutdown().then(
          () => resolve(0),
          (err: unknown) => {
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
