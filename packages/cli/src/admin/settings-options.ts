import { checkSettings, SiteIdSchema, SiteSettingsPatchSchema, type SiteSettingsPatch } from '@spoor/query-api';

/** The site-setting options every site command accepts (parseArgs shape), and the API field each one sets. */
export const SETTING_OPTIONS = {
  name: { type: 'string' },
  origin: { type: 'string', multiple: true },
  'redirect-host': { type: 'string', multiple: true },
  'retention-days': { type: 'string' },
  gpc: { type: 'string' },
} as const;

const OPTION_OF_FIELD: Record<string, string> = {
  site: '--site',
  name: '--name',
  allowed_origins: '--origin',
  allowed_redirect_hosts: '--redirect-host',
  retention_days: '--retention-days',
  honour_gpc: '--gpc',
};

export interface SettingValues {
  name?: string | undefined;
  origin?: string[] | undefined;
  'redirect-host'?: string[] | undefined;
  'retention-days'?: string | undefined;
  gpc?: string | undefined;
}

const GPC: Record<string, boolean> = { honour: true, ignore: false };

/**
 * The options as a settings patch, checked by the same schema as the admin API (query-api admin/sites/site-settings.ts)
 * so the CLI never accepts what the server would refuse. A bad value is one line naming the option.
 */
export function settingsFromOptions(values: SettingValues): { ok: true; patch: SiteSettingsPatch } | { ok: false; error: string } {
  if (values.gpc !== undefined && !(values.gpc in GPC)) return { ok: false, error: '--gpc: expected "honour" (the default: requests with Sec-GPC: 1 store nothing) or "ignore"' };
  const days = values['retention-days'];
  const input: Record<string, unknown> = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.origin ? { allowed_origins: values.origin } : {}),
    ...(values['redirect-host'] ? { allowed_redirect_hosts: values['redirect-host'] } : {}),
    ...(days !== undefined ? { retention_days: /^-?\d+(\.\d+)?$/.test(days) ? Number(days) : days } : {}),
    ...(values.gpc !== undefined ? { honour_gpc: GPC[values.gpc] } : {}),
  };
  const checked = checkSettings(SiteSettingsPatchSchema, input);
  if (checked.ok) return { ok: true, patch: checked.value };
  return { ok: false, error: describeBadField(checked.field, checked.message, input) };
}

export function checkSiteOption(site: string | undefined): string | undefined {
  if (site === undefined) return '--site: required';
  const checked = checkSettings(SiteIdSchema, site);
  return checked.ok ? undefined : `--site: ${JSON.stringify(site)}: ${checked.message}`;
}

/** `allowed_origins.1` → `--origin: "https://x/": expected an origin as browsers send it …`. */
function describeBadField(field: string, message: string, input: Record<string, unknown>): string {
  const [name, index] = field.split('.');
  const option = OPTION_OF_FIELD[name!] ?? field;
  const given: unknown = input[name!];
  const value: unknown = index !== undefined && Array.isArray(given) ? (given as unknown[])[Number(index)] : given;
  return value === undefined || Array.isArray(value) ? `${option}: ${message}` : `${option}: ${JSON.stringify(value)}: ${message}`;
}
