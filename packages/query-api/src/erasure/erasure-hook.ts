import type { KeyValue } from '@spoor/infra';

/** Whose data an erasure removed: the hooks clear whatever they cached about these ids. */
export interface ErasureSubject {
  site: string;
  customerId: string;
  /** Every anonymous id stitched to the customer, and those that carried the customer id. */
  anonymousIds: string[];
}

/**
 * Clears state outside ClickHouse (the processor's Redis seen-set / identity cache, a CDN, a CRM…) after the
 * rows are gone. `name` appears in the audit entry with the returned summary, or the error message.
 */
export interface ErasureHook {
  name: string;
  run(subject: ErasureSubject): Promise<string>;
}

/**
 * A hook deleting KeyValue keys derived from the subject, e.g. the identity cache entries
 * `keys: (s) => s.anonymousIds.map((a) => \`identity:\${s.site}:\${a}\`)`. The key layout belongs to whoever
 * writes the keys (the processor), so it is passed in rather than guessed here.
 */
export function keyValueErasureHook(options: { name?: string; keyValue: KeyValue; keys: (subject: ErasureSubject) => string[] }): ErasureHook {
  return {
    name: options.name ?? 'key-value',
    async run(subject) {
      const keys = options.keys(subject);
      if (keys.length === 0) return 'no keys';
      const existed = (await options.keyValue.existsMany(keys)).filter(Boolean).length;
      await options.keyValue.delete(keys);
      return `deleted ${existed} of ${keys.length} keys`;
    },
  };
}
