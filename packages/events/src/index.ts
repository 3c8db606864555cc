export * from './limits.js';
export * from './client-event.js';
export * from './validate.js';
export * from './wire.js';
export * from './raw-event-batch.js';
export * from './string-policy.js';
export * from './error-body.js';
