// `spoor <command>`: the only file of the CLI that reads the environment.
import { keysCommand } from './commands/keys.js';
import { sitesCommand } from './commands/sites.js';
import { retentionCommand } from './commands/retention.js';
import { migrateCommand } from './commands/migrate.js';
import { serviceCommands, startCommand } from './commands/start.js';
import { demoCommand } from './commands/demo.js';
import { emailLinksCommand } from './commands/email-links.js';
import { replayCommand } from './commands/replay.js';
import type { Command } from './commands/command.js';
import { parseSpoorEnv } from './spoor-env.js';

const commands: Command[] = [startCommand, ...serviceCommands, migrateCommand, replayCommand, keysCommand, sitesCommand, retentionCommand, emailLinksCommand, demoCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return ['usage: spoor <command> [options]', '', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', 'spoor <command> --help for its options'].join('\n');
}

// Everything Spoor writes (data dir, file log, chDB's parts, keys, secrets) may hold personal data or secrets:
// files 0600 and directories 0700 unless a creator says otherwise, chDB's own files included.
process.umask(0o077);

const [name, ...args] = process.argv.slice(2);
const command = commands.find((c) => c.name === name);
if (!command) {
  console.error(name && name !== '--help' ? `unknown command: ${name}\n\n${help()}` : help());
  process.exit(name && name !== '--help' ? 2 : 0);
}
if (args.includes('--help')) {
  console.log(`usage: ${command.usage}\n\n${command.summary}`);
  process.exit(0);
}
let code: number;
try {
  code = await command.run(args, parseSpoorEnv(process.env));
} catch (err) {
  console.error(`spoor ${command.name}: ${(err as Error).message}`);
  code = 1;
}
// Explicit: a finished command must not linger on open handles (chDB, timers of client libraries).
process.exit(code);
