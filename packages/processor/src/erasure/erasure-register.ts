import { createHash } from 'node:crypto';
import type { ClientEvent } from '@spoor/events';
import { resolveIdentity } from '../enrich/resolve-identity.js';
import type { DecodedEvent } from '../pipeline/decode-message.js';
import { drop, ok, type StepResult } from '../pipeline/step-result.js';

/** One row of the erasure register (migration 0300): a site's erased customer id or anonymous id, as SHA-256 hex. */
export interface ErasureEntry {
  siteId: string;
  kind: 'customer' | 'anonymous';
  idSha256: string;
}

/** Where the register lives (ClickHouse: clickhouse-event-store.ts). `version` changes whenever an entry is added. */
export interface ErasureRegisterSource {
  /** The register's version now, and its entries when that differs from `known` (null: they are unchanged). */
  readErasureRegister(known: string | null): Promise<{ version: string; entries: ErasureEntry[] | null }>;
}

/** The register in memory: per site, the hashed ids erased there. Empty for the sites nobody asked to erase from. */
export class ErasedIds {
  private readonly bySite = new Map<string, { customers: Set<string>; anonymous: Set<string> }>();

  constructor(entries: readonly ErasureEntry[]) {
    for (const e of entries) {
      let site = this.bySite.get(e.siteId);
      if (!site) this.bySite.set(e.siteId, (site = { customers: new Set(), anonymous: new Set() }));
      (e.kind === 'customer' ? site.customers : site.anonymous).add(e.idSha256);
    }
  }

  get size(): number {
    return this.bySite.size;
  }

  /**
   * Whether an event belongs to an erased person: it names an erased customer (on the event or in an identity
   * link), or it comes from an erased anonymous id and names no customer who was not erased (a shared device:
   * the other customer's events stay theirs, as the erasure's table deletions decide).
   */
  covers(siteId: string, anonymousId: string, customerIds: readonly string[]): boolean {
    const site = this.bySite.get(siteId);
    if (!site) return false;
    const erasedCustomers = customerIds.filter((c) => site.customers.has(sha256Hex(c)));
    if (erasedCustomers.length) return true;
    return customerIds.length === 0 && site.anonymous.has(sha256Hex(anonymousId));
  }
}

export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Every customer id an event names: on the event itself, and in what it links its anonymous id to. */
export function customerIdsOf(event: ClientEvent): string[] {
  return [...new Set(resolveIdentity(event).map((l) => l.customerId))];
}

/** The pipeline step: an erased person's event is dropped (never stored, never dead-lettered). */
export function dropIfErased(decoded: DecodedEvent, erased: ErasedIds): StepResult<DecodedEvent> {
  if (!erased.size) return ok(decoded);
  const { raw, event } = decoded;
  return erased.covers(raw.siteId, event.anonymousId, customerIdsOf(event)) ? drop('erased') : ok(decoded);
}

/**
 * The register as the processor and replay see it: re-read when it changed, checked once per batch, so an event
 * consumed after an erasure wrote its entries is dropped. A failed read throws: the batch waits rather than risk
 * storing an erased person.
 */
export function createErasureRegisterReader(source: ErasureRegisterSource): { current(): Promise<ErasedIds> } {
  let version: string | null = null;
  let erased = new ErasedIds([]);
  // Batches of several partitions start together: they share one read (a register written while it runs is the
  // same race as a batch in flight during an erasure, which the erasure's second sweep covers).
  let reading: Promise<ErasedIds> | null = null;
  const read = async () => {
    const result = await source.readErasureRegister(version);
    if (result.entries) erased = new ErasedIds(result.entries);
    version = result.version;
    return erased;
  };
  return {
    current() {
      reading ??= read().finally(() => {
        reading = null;
      });
      return reading;
    },
  };
}
