import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildStatus {
  stored: number;
  ready: boolean;
  outage: boolean;
  retries: number;
  loaded: number;
  deadLettered: number;
}

const CHILD = fileURLToPath(new URL('./drill-child.ts', import.meta.url));

function spawnChild(mode: 'process' | 'count', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A processor child: its latest status line, every status seen, and a way to wait for one. */
export function startProcessorChild(env: Record<string, string>) {
  const child = spawnChild('process', env);
  const statuses: ChildStatus[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        statuses.push(JSON.parse(line) as ChildStatus);
      } catch {
        // not a status line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exitSignal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitSignal = signal;
      resolve(code);
    }),
  );
  return {
    child,
    statuses,
    exited,
    stderr: () => stderr,
    latest: () => statuses[statuses.length - 1],
    async waitFor(what: string, predicate: (s: ChildStatus) => boolean, timeoutMs: number): Promise<ChildStatus> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = statuses[statuses.length - 1];
        if (s && predicate(s)) return s;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`processor child: ${what} not reached (last status ${JSON.stringify(s)}, exit ${child.exitCode}); stderr: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(signal: NodeJS.Signals) {
      child.kill(signal);
      const code = await exited;
      // A graceful stop that ends by another signal (a native crash) would otherwise show only as "null".
      if (signal !== 'SIGKILL' && code === null) process.stderr.write(`processor child ended by ${exitSignal} after ${signal}; stderr: ${stderr}\n`);
      return code;
    },
  };
}

/** Counts from a chDB directory, read by a short-lived child once the processor child has exited. */
export async function countTables(env: Record<string, string>): Promise<Record<string, number>> {
  const child = spawnChild('count', env);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`count child exited ${code}: ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}
