import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { spawnServer, stopProcess } from './process-control.js';
import { tcpAnswers } from './tcp-probe.js';
import { waitUntil } from './wait-until.js';

export interface LocalRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs Debian's redis-server when it is missing (needs root, as on these machines). */
export function ensureRedisInstalled(): void {
  if (hasRedisServer()) return;
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server`, { stdio: 'inherit' });
}

/** Starts a throw-away redis-server (no persistence) and waits until it answers. */
export async function startLocalRedis(options: { dir: string; port?: number; host?: string }): Promise<LocalRedis> {
  ensureRedisInstalled();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const { pid } = spawnServer(
    'redis-server',
    ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', options.dir, '--daemonize', 'no'],
    join(options.dir, 'redis.log'),
  );
  try {
    await waitUntil(`redis-server on ${host}:${port}`, () => tcpAnswers(host, port), 15000, 100);
  } catch (err) {
    await stopProcess(pid);
    throw err;
  }
  return { url: `redis://${host}:${port}`, pid, stop: () => stopProcess(pid, 5000) };
}
