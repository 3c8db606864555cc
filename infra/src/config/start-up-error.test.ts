import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseConfig } from './parse-config.js';
import { sharedSettingsSchema } from './shared-settings.js';
import { runStartUp, StartUpError } from './start-up-error.js';

async function linesOf(main: () => Promise<unknown>, debug = false) {
  const lines: string[] = [];
  const code = await runStartUp('spoor start', main, { debug, log: (line) => lines.push(line) });
  return { code, lines };
}

describe('runMain: start-up failures', () => {
  it('prints one line per bad setting, naming it, and exits 1 without a stack', async () => {
    const { code, lines } = await linesOf(async () => parseConfig(sharedSettingsSchema, { KAFKA_BROKERS: 'localhost' }));
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^spoor start: KAFKA_BROKERS=localhost: comma-separated host:port pairs/);
  });

  it('names PORT when the port is in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, lines } = await linesOf(
        () =>
          new Promise((_, reject) => {
            const second = createServer();
            second.once('error', reject);
            second.listen(port, '127.0.0.1');
          }),
      );
      expect(code).toBe(1);
      expect(lines).toEqual([`spoor start: PORT=${port}: already in use`]);
    } finally {
      taken.close();
    }
  });

  it('prints a StartUpError (Kafka or ClickHouse unreachable) as its one line; the stack only with DEBUG', async () => {
    const failing = async () => {
      throw new StartUpError('KAFKA_BROKERS', '127.0.0.1:1', 'Kafka unreachable (connection refused)');
    };
    expect((await linesOf(failing)).lines).toEqual(['spoor start: KAFKA_BROKERS=127.0.0.1:1: Kafka unreachable (connection refused)']);
    const withStack = await linesOf(failing, true);
    expect(withStack.lines).toHaveLength(2);
    expect(withStack.lines[1]).toMatch(/StartUpError[\s\S]*at /);
  });

  it('returns the command\'s exit code, and nothing for a server that runs on', async () => {
    expect((await linesOf(async () => 2)).code).toBe(2);
    expect((await linesOf(async () => undefined)).code).toBeUndefined();
    expect(new ConfigurationError([]).issues).toEqual([]);
  });
});
