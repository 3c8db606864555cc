import { z } from 'zod';
import { optionalText, text } from '@spoor/infra';
import { collectorSettings } from '@spoor/collector';
import { queryApiSettings } from '@spoor/query-api';

/**
 * What the `spoor` command reads: the union of the settings of the services it can run (collector, processor,
 * query API), so `spoor start` honours every setting the services' own docs name, with the same names and defaults.
 */
// wireb: replace this block with `...processorSettings` from @spoor/processor once processor-settings.ts is on main.
const processorSettingsUsedBySpoor = {
  GEOIP_DB: optionalText().describe('Comma-separated MaxMind-format .mmdb files (GeoIP2/GeoLite2 City or DB-IP schema); unset: DB-IP City Lite.'),
  PROCESSOR_GROUP_ID: text().max(200).default('spoor-processor').describe('Kafka consumer group of the processors.'),
} as const;

export const spoorSettings = {
  ...collectorSettings,
  ...queryApiSettings,
  ...processorSettingsUsedBySpoor,
} as const;

export const spoorSettingsSchema = z.object(spoorSettings);
export type SpoorConfig = z.infer<typeof spoorSettingsSchema>;
