import { readFileSync } from 'node:fs';
import type { EnvSource } from './config-types.js';
import { ConfigurationError } from './parse-config.js';

/**
 * `.env`-style files, read only when an entry point is given one (`--env-file <path>`): `KEY=value` lines,
 * `export KEY=value`, `#` comments, values in '…' (as written) or "…" (with \n, \t, \", \\ escapes).
 * The process environment wins over the file: a variable set for one run (`PORT=9000 spoor start --env-file
 * shop.env`) overrides the shared file, as with docker compose and dotenv.
 */
export function parseEnvFile(text: string, path = '(env file)'): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new ConfigurationError([{ key: `${path}:${index + 1}`, value: line.slice(0, 80), accepted: 'KEY=value, a # comment or an empty line' }]);
    values[match[1]!] = unquote(match[2]!);
  });
  return values;
}

function unquote(value: string): string {
  if (value.startsWith("'")) return value.slice(1, value.lastIndexOf("'") > 0 ? value.lastIndexOf("'") : undefined);
  if (value.startsWith('"')) {
    const end = value.lastIndexOf('"');
    const inner = value.slice(1, end > 0 ? end : undefined);
    return inner.replace(/\\([nt"\\])/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c]!);
  }
  // Unquoted: a ` #` starts a comment.
  return value.replace(/\s+#.*$/, '').trim();
}

export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigurationError([{ key: '--env-file', value: path, accepted: `a readable file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
  }
  return parseEnvFile(text, path);
}

/** The `--env-file <path>` / `--env-file=<path>` of a command line, and the arguments without it. */
export function takeEnvFileArgument(args: readonly string[]): { envFile?: string; rest: string[] } {
  const rest: string[] = [];
  let envFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--env-file') {
      envFile = args[++i];
      if (!envFile) throw new ConfigurationError([{ key: '--env-file', value: undefined, accepted: 'a path: --env-file <path>' }]);
    } else if (arg.startsWith('--env-file=')) envFile = arg.slice('--env-file='.length);
    else rest.push(arg);
  }
  return envFile === undefined ? { rest } : { envFile, rest };
}

/** The environment an entry point parses: the file's values under the process environment's (which win). */
export function environmentWithFile(processEnv: EnvSource, envFile: string | undefined): EnvSource {
  return envFile ? { ...readEnvFile(envFile), ...definedOnly(processEnv) } : processEnv;
}

function definedOnly(env: EnvSource): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
