import type { RawEvent } from '@spoor/events';

/** What a pipeline step decided, as data: keep going, dead-letter it (with why and where), or drop it silently. */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'dlq'; reason: string; stage: DeadLetterStage; raw?: RawEvent }
  | { kind: 'drop'; reason: string };

/** processor.load: the store refused the event's row (a data error), found alone by splitting the batch. */
export type DeadLetterStage = 'processor.decode' | 'processor.validate' | 'processor.enrich' | 'processor.load';

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const dlq = <T = never>(stage: DeadLetterStage, reason: string, raw?: RawEvent): StepResult<T> => (raw ? { kind: 'dlq', stage, reason, raw } : { kind: 'dlq', stage, reason });
export const drop = <T = never>(reason: string): StepResult<T> => ({ kind: 'drop', reason });
