import { randomBytes } from 'node:crypto';

/** A topic or group name no other test file uses, so files can share one broker. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
