import { describe, expect, it } from 'vitest';
import { parseReplayFlags } from './run-replay.js';

describe('replay flags (spoor replay and npm run replay alike)', () => {
  it('defaults to the archive, truncating', () => {
    expect(parseReplayFlags([])).toEqual({ source: 'archive', keep: false, warnings: [] });
  });

  it('reads --source log and --keep', () => {
    expect(parseReplayFlags(['--source', 'log', '--keep'])).toEqual({ source: 'log', keep: true, warnings: [] });
  });

  it('reads the deprecated --source kafka as log, with a warning', () => {
    const flags = parseReplayFlags(['--source=kafka']);
    expect(flags.source).toBe('log');
    expect(flags.warnings[0]).toMatch(/--source kafka is deprecated: use --source log/);
  });

  it('names the flag and what it accepts', () => {
    expect(() => parseReplayFlags(['--source', 'redis'])).toThrow('invalid --source: "redis" (accepted: archive, log)');
  });
});
