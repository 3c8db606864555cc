import { z } from 'zod';
import { deprecatedAliases, parseConfig, type EnvSource, type ParsedConfig } from '@spoor/infra';
import { collectorSettings } from '@spoor/collector';
import { processorSettings } from '@spoor/processor';
import { queryApiSettings } from '@spoor/query-api';

/**
 * What the `spoor` command reads: the union of the settings of the services it can run (collector, processor,
 * query API), so `spoor start` honours every setting the services' own docs name, with the same names and defaults.
 * Each service's object already holds the shared vocabulary: the union adds no setting of its own.
 */
export const spoorSettings = {
  ...collectorSettings,
  ...processorSettings,
  ...queryApiSettings,
} as const;

export const spoorSettingsSchema = z.object(spoorSettings);
export type SpoorConfig = z.infer<typeof spoorSettingsSchema>;

/** The `spoor` settings from an environment (process.env, or it merged with an --env-file), deprecated names read with a warning. */
export function parseSpoorConfig(env: EnvSource): ParsedConfig<SpoorConfig> {
  return parseConfig(spoorSettingsSchema, env, deprecatedAliases);
}
