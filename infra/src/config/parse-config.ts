import type { z } from 'zod';
import type { DeprecatedAlias, EnvSource } from './config-types.js';

/** One unusable setting: the key, the value as given and what is accepted. */
export interface ConfigIssue {
  key: string;
  value: string | undefined;
  accepted: string;
}

/** Every bad setting of one start, reported at once (a service never starts half-configured). */
export class ConfigurationError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.key}=${shownValue(i.value)}: ${i.accepted}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** The value as the error line shows it: quoted (control characters escaped) and cut short, a huge value must not flood the log. */
function shownValue(value: string | undefined): string {
  if (value === undefined) return '(unset)';
  const quoted = (s: string) => JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return value.length > 200 ? `${quoted(value.slice(0, 200))}… (${value.length} characters)` : quoted(value);
}

export interface ParsedConfig<T> {
  config: T;
  /** One line per deprecated name that was used; entry points print them at start. */
  warnings: string[];
}

/**
 * Parses one service's settings (a zod object of the vocabulary in settings.ts, possibly refined) from an
 * environment. Deprecated aliases are read when the new name is unset; when both are set and differ, that is an
 * error (a shared .env must never split two services silently).
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: EnvSource, aliases: readonly DeprecatedAlias[] = []): ParsedConfig<z.infer<S>> {
  const input: Record<string, string | undefined> = { ...env };
  const warnings: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const { alias, name } of aliases) {
    const old = env[alias];
    if (old === undefined) continue;
    if (env[name] !== undefined && env[name] !== old) {
      issues.push({ key: alias, value: old, accepted: `deprecated spelling of ${name}, which is set to ${JSON.stringify(env[name])}: remove ${alias}` });
      continue;
    }
    input[name] = old;
    warnings.push(`${alias} is deprecated: use ${name}`);
  }
  // Empty strings in an .env file mean "unset", as in most tools; a setting that needs a value says so.
  for (const [key, value] of Object.entries(input)) if (value === '') input[key] = undefined;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(configuration)');
      issues.push({ key, value: input[key], accepted: issue.message });
    }
  }
  if (issues.length || !parsed.success) throw new ConfigurationError(dedupe(issues));
  return { config: parsed.data, warnings };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.key}\u0000${i.accepted}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
