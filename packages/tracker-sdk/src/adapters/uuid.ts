/**
 * A random (version 4) UUID. crypto.randomUUID exists in secure contexts only: the SDK needs an HTTPS
 * page (or localhost), which every shop is today; elsewhere the tracker reports the error and stays off.
 */
export const uuid = (): string => crypto.randomUUID();
