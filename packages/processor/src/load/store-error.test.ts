import { describe, expect, it } from 'vitest';
import { classifyStoreError, clickhouseCodeOf, refusalReason, StoreWriteError } from './store-error.js';

/** The shapes errors really arrive in (see the probe notes in docs/processor.md, "Refused rows"). */
const chdbRawInsert = (code: number, name: string, text: string) =>
  Object.assign(new Error(`Code: ${code}. DB::Exception: ${text}: (at row 1)\n: \nRow 1:\nColumn 0,   name: title, type: String, parsed text: "<DOUBLE QUOTE>secret title"ERROR\n. (${name})`), { code: 'CHDB_INSERT' });
const clientError = (code: string, type: string, text: string) => Object.assign(new Error(text), { code, type });

describe('classifyStoreError', () => {
  it('a value ClickHouse cannot parse is a data error, from chDB raw inserts and from @clickhouse/client alike', () => {
    const raw = chdbRawInsert(25, 'CANNOT_PARSE_ESCAPE_SEQUENCE', 'Cannot parse escape sequence: missing second part of surrogate pair');
    expect(clickhouseCodeOf(raw)).toBe(25);
    expect(classifyStoreError(raw)).toMatchObject({ kind: 'data', code: 'store_refused_row', clickhouseCode: 25, clickhouseName: 'CANNOT_PARSE_ESCAPE_SEQUENCE' });
    expect(classifyStoreError(clientError('376', 'CANNOT_PARSE_UUID', 'Cannot parse uuid'))).toMatchObject({ kind: 'data', clickhouseCode: 376 });
    expect(classifyStoreError(Object.assign(new Error('x'), { clickhouseCode: 117 }))).toMatchObject({ kind: 'data', clickhouseCode: 117 });
    expect(classifyStoreError(new StoreWriteError('events', 'insert', raw))).toMatchObject({ kind: 'data', table: 'events' });
  });

  it('an unreachable, busy or misconfigured store is transient: retried, never split', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new Error('socket hang up'),
      new Error('Timeout error.'),
      clientError('241', 'MEMORY_LIMIT_EXCEEDED', 'Memory limit (total) exceeded'),
      clientError('252', 'TOO_MANY_PARTS', 'Too many parts (300)'),
      chdbRawInsert(60, 'UNKNOWN_TABLE', 'Table spoor.events does not exist'),
      Object.assign(new Error('session closed'), { code: 'CHDB_CLOSED' }),
    ]) {
      expect(classifyStoreError(error), error.message).toMatchObject({ kind: 'transient', code: 'store_unavailable' });
    }
  });

  it('anything else is unknown (bounded by resilient-load.ts), whatever the message says about rows', () => {
    expect(classifyStoreError(new Error('ClickHouse unavailable (drill)'))).toMatchObject({ kind: 'unknown', code: 'store_error' });
    expect(classifyStoreError(clientError('1001', 'STD_EXCEPTION', 'std::exception'))).toMatchObject({ kind: 'unknown', clickhouseCode: 1001 });
  });
});

describe('refusalReason', () => {
  it('keeps the table, the code and the first line of the message, never the parsed row text after it', () => {
    const error = new StoreWriteError('events', 'insert', chdbRawInsert(25, 'CANNOT_PARSE_ESCAPE_SEQUENCE', 'Cannot parse escape sequence: missing second part of surrogate pair'));
    const reason = refusalReason(error, classifyStoreError(error));
    expect(reason).toMatch(/^store refused the row \(events ClickHouse 25 CANNOT_PARSE_ESCAPE_SEQUENCE\): Code: 25\. DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair/);
    expect(reason).not.toContain('secret title');
    expect(reason.length).toBeLessThan(400);
  });
});
