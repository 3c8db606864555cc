/** A configuration value that cannot be used. The message names the key, the bad value and what is accepted. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly accepted: string,
  ) {
    super(`invalid ${key}: ${JSON.stringify(value)} (accepted: ${accepted})`);
    this.name = 'ConfigError';
  }
}
