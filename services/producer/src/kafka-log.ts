import type { kafkaLogCreator } from '@wikistream/shared';

const ROUTINE = [
  'concurrent operation on the same transaction',
  'Limiting retries for the idempotent producer',
];

type LogCreator = ReturnType<typeof kafkaLogCreator>;
type LogEntry = Parameters<ReturnType<LogCreator>>[0];

/**
 * Routine kafkajs messages at debug level: a retried CONCURRENT_TRANSACTIONS answer between
 * transactions, and the warning about limited retries (a failed transaction is aborted and the
 * producer restarts from its cursor with a new producer, so retries do not need to be endless).
 */
export function quietRoutineRetries(creator: LogCreator): LogCreator {
  return (level) => {
    const log = creator(level);
    return (entry: LogEntry) => {
      const text = `${entry.log.message} ${String(entry.log.error ?? '')}`;
      const routine = ROUTINE.some((fragment) => text.includes(fragment));
      log(routine ? { ...entry, level: 5 } : entry);
    };
  };
}
