import { parseReplayFlags, REPLAY_USAGE, runReplay } from '@spoor/processor';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from './command.js';

/** `spoor replay`: the processor package's one replay (run-replay.ts) with a progress bar; the same flags as `npm run replay`. */
export const replayCommand: Command = {
  name: 'replay',
  summary: 'rebuild the derived tables (events, orders, identities, sessions) from the raw archive or the log, counting every event once',
  usage: `spoor replay ${REPLAY_USAGE}   (embedded defaults: stop \`spoor start\` first — the data dir is one process's)`,
  async run(args, settings) {
    const flags = parseReplayFlags(args);
    for (const warning of flags.warnings) console.warn(`spoor replay: ${warning}`);
    // The spoor settings are a superset of the processor's: replay reads the same names as `spoor start`.
    const config = settings;
    const bar = new SingleBar({ format: 'replay {bar} {percentage}% | {value}/{total} archived events | {eta_formatted} left', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
    const outcome = await runReplay(config, {
      source: flags.source,
      truncate: !flags.keep,
      onArchiveTotal: (total) => bar.start(total, 0),
      onArchiveProgress: (read) => bar.update(read),
    });
    if (outcome.source === 'archive') {
      bar.update(outcome.report.read);
      bar.stop();
      console.log(JSON.stringify(outcome.report));
    } else console.log(JSON.stringify(outcome.totals));
    return 0;
  },
};
