// `spoor <command>`: the only file of the CLI that reads the environment.
import { keysCommand } from './commands/keys.js';
import { sitesCommand } from './commands/sites.js';
import { usersCommand } from './commands/users.js';
import { retentionCommand } from './commands/retention.js';
import { migrateCommand } from './commands/migrate.js';
import { serviceCommands, startCommand } from './commands/start.js';
import { demoCommand } from './commands/demo.js';
import { emailLinksCommand } from './commands/email-links.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import type { Command } from './commands/command.js';
import { environmentWithFile, runMain, takeEnvFileArgument } from '@spoor/infra';
import { parseSpoorConfig } from './config/spoor-settings.js';

const commands: Command[] = [startCommand, ...serviceCommands, serveCommand, migrateCommand, replayCommand, keysCommand, sitesCommand, usersCommand, retentionCommand, emailLinksCommand, demoCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return ['usage: spoor <command> [options]', '', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', 'spoor <command> --help for its options'].join('\n');
}

// Everything Spoor writes (data dir, file log, chDB's parts, keys, secrets) may hold personal data or secrets:
// files 0600 and directories 0700 unless a creator says otherwise, chDB's own files included.
process.umask(0o077);

const [name, ...given] = process.argv.slice(2);
const command = commands.find((c) => c.name === name);
if (!command) {
  console.error(name && name !== '--help' ? `unknown command: ${name}\n\n${help()}` : help());
  process.exit(name && name !== '--help' ? 2 : 0);
}
if (given.includes('--help')) {
  console.log(`usage: ${command.usage}\n\n${command.summary}\n\n--env-file <path>: read settings from a .env-style file too; variables set in the environment win over it (docs/configuration.md)`);
  process.exit(0);
}
// A bad setting, a port in use, Kafka or ClickHouse unreachable: one line naming the setting, exit 1 (stack with DEBUG=1).
runMain(`spoor ${command.name}`, async () => {
  const { envFile, rest } = takeEnvFileArgument(given);
  const { config, warnings } = parseSpoorConfig(environmentWithFile(process.env, envFile));
  for (const warning of warnings) console.warn(`spoor: ${warning}`);
  return command.run(rest, config);
});
