import type { ZodError } from 'zod';
import { BadParameterError } from './query-api-errors.js';

/**
 * The zod-openapi defaultHook: a failed validation becomes a 400 naming the first bad parameter
 * (dotted path for bodies, e.g. `steps.2.window_seconds`).
 */
export function throwOnInvalid(result: { success: true } | { success: false; error: ZodError }): void {
  if (result.success) return;
  const issue = result.error.issues[0];
  if (!issue) throw new BadParameterError('request', 'invalid');
  // An unknown key is named itself (`steps.0.colour`), not its parent object.
  const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  const parameter = path.length > 0 ? path.map(String).join('.') : 'body';
  throw new BadParameterError(parameter, issue.message);
}
