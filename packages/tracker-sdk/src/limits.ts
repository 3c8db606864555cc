/**
 * The few limits of @spoor/events the SDK needs, copied so the browser bundle does not pull in the
 * contract package's runtime (zod, protobufjs); plain constants so the minifier inlines them.
 * limits.test.ts fails if they drift from LIMITS.
 */
export const TRANSPORT_BUDGET = 64 * 1024;
export const MAX_EVENTS_PER_BATCH = 200;
export const MAX_URL_LENGTH = 4096;
export const MAX_TEXT_LENGTH = 1024;
