export * from './config-types.js';
export * from './parse-config.js';
export * from './shared-settings.js';
export * from './open-adapters.js';
export * from './env-file.js';
export * from './start-up-error.js';
