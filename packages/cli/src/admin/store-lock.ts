import { readFileSync } from 'node:fs';

/**
 * The process holding an embedded store (chDB writes `PID: <n>` into `<path>/status` and locks it while open, and
 * removes it at a clean close), or undefined when the store is free. Asked before opening chDB because a refused open
 * prints chDB's own error lines on stderr, which a command cannot take back.
 */
export function storeHolder(storePath: string): number | undefined {
  let status: string;
  try {
    status = readFileSync(`${storePath}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(status)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return undefined;
  // A file left by a killed process can name a pid reused since by something unrelated: where the command line is
  // readable (Linux), only a Node or ClickHouse process counts as the holder.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|spoor|clickhouse|chdb/i.test(cmdline) ? pid : undefined;
  } catch {
    return pid;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
