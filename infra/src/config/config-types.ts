import { z } from 'zod';

/**
 * Building blocks of the configuration vocabulary. A setting is a zod schema reading one environment string; its
 * description (`.describe()`) is the one-line doc the README table and `spoor config` print.
 */
export const text = () => z.string().trim().min(1);
export const optionalText = () => text().optional();
export const integer = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ error: `a whole number from ${min} to ${max}` }).int(`a whole number from ${min} to ${max}`).min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`).default(fallback);
/** true/false, 1/0, on/off, yes/no (any case). */
export const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], { error: 'true or false (also 1/0, on/off, yes/no)' }))
    .transform((v) => ['true', '1', 'on', 'yes'].includes(v))
    .optional()
    .transform((v) => v ?? fallback);
/** A comma-separated list; empty entries are dropped. */
export const list = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
export const topicName = (fallback: string) =>
  z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'a Kafka topic name: 1–200 of A–Z a–z 0–9 . _ -').default(fallback);

/** `host:port` pairs; a malformed entry is named in the error instead of failing later inside the client. */
export const brokerList = () =>
  list().superRefine((brokers, ctx) => {
    for (const broker of brokers) {
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(broker);
      const port = match ? Number(match[2]) : 0;
      if (!match || port < 1 || port > 65535) ctx.addIssue({ code: 'custom', message: `comma-separated host:port pairs, e.g. 127.0.0.1:9092 ("${broker}" is not one)` });
    }
  });

/** An environment as the parsers read it: names to strings (process.env, a parsed .env file, a test's object). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A deprecated spelling still read for compatibility (docs/configuration.md lists them). */
export interface DeprecatedAlias {
  /** The old name. */
  alias: string;
  /** The name to use instead. */
  name: string;
}
