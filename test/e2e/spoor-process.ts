import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@spoor/infra';

const SPOOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/spoor.mjs');

export interface SpoorProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  readyz(): Promise<{ ready: boolean; processor?: { messages: number; loaded: number } }>;
}

/** `spoor start` as a child process on the embedded defaults (no Kafka/Redis/ClickHouse env), waited until ready. */
export async function startSpoor(dataDir: string, port: number): Promise<SpoorProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, SPOOR_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" };
  for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'CLICKHOUSE_URL']) delete env[name];
  const child = spawn(process.execPath, [SPOOR_BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const readyz = async () => (await (await fetch(`${url}/readyz`)).json()) as Awaited<ReturnType<SpoorProcess['readyz']>>;
  await waitUntil(`spoor start on ${url}`, async () => child.exitCode === null && (await readyz()).ready, 90_000, 250).catch((err) => {
    throw new Error(`${(err as Error).message}\n${output}`);
  });
  return { child, url, output: () => output, readyz };
}

export const demoKeys = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as { siteId: string; writeKey: string; apiKey: string };

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

/** Until the processor has taken nothing new for `quietMs`: everything in the log has been loaded. */
export async function waitForProcessorQuiet(spoor: SpoorProcess, quietMs: number, timeoutMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const messages = (await spoor.readyz()).processor?.messages ?? 0;
    if (messages !== last) {
      last = messages;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the processor did not settle');
}
