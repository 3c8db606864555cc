import type { ZodError } from 'zod';
import { BadParameterError } from '../../errors/query-api-errors.js';

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
  keys?: string[];
}

/**
 * A definition is a union (rules or template; condition or group at every level), and zod reports a failed union
 * as one "Invalid input" at its root. For a useful 400 we follow the branch that got furthest into the input —
 * the one whose issue has the longest path — so `definition.all.0.where.0.property` is named, not `definition`.
 */
export function deepestIssue(issue: Issue): { path: PropertyKey[]; message: string } {
  // An unknown key is named itself (`definition.all.0.sql`), not its parent object.
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined) return { path: [...issue.path, issue.keys[0]], message: issue.message };
  if (issue.code !== 'invalid_union' || !issue.errors || issue.errors.length === 0) return { path: issue.path, message: issue.message };
  let best: { path: PropertyKey[]; message: string } | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const candidate = deepestIssue(inner);
      const full = { path: [...issue.path, ...candidate.path], message: candidate.message };
      if (!best || full.path.length > best.path.length) best = full;
    }
  }
  return best ?? { path: issue.path, message: issue.message };
}

/** A zod-openapi route hook for bodies holding a definition: a 400 naming the deepest offending field. */
export function throwOnInvalidDefinition(result: { success: true } | { success: false; error: ZodError }): undefined {
  if (result.success) return undefined;
  const first = result.error.issues[0] as Issue | undefined;
  if (!first) throw new BadParameterError('body', 'invalid');
  const { path, message } = deepestIssue(first);
  throw new BadParameterError(path.length > 0 ? path.map(String).join('.') : 'body', message);
}
