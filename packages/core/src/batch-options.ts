// The options of `con.batch` and their validation.
import { type OptionRule, rules } from './option-rules.js';

/**
 * Options of `con.batch(requests, options)`. An unknown key or a wrong type is a TypeError before
 * anything is sent.
 */
export interface BatchOptions {
  /** Requests per `$batch` call, 1 to 20 (Graph's limit). Default 20; Outlook mailbox resources want 4. */
  maxPerBatch?: number;
  /** `$batch` calls in flight at once. Default 4. */
  concurrency?: number;
  /** Called with `(done, total)` each time an item reaches its final status; an exception it throws rejects the batch. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the whole batch: calls in flight are aborted and the batch rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Graph's limit of requests in one `$batch` call. */
export const GRAPH_LIMIT = 20;

export const BATCH_OPTION_RULES: Record<keyof BatchOptions, OptionRule> = {
  maxPerBatch: { expected: `a whole number from 1 to ${GRAPH_LIMIT}`, test: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= GRAPH_LIMIT },
  concurrency: rules.positiveInteger,
  onProgress: rules.function,
  signal: rules.signal,
};
