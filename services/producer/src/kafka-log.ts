import type { kafkaLogCreator } from '@wikistream/shared';

type LogCreator = ReturnType<typeof kafkaLogCreator>;
type LogEntry = Parameters<ReturnType<LogCreator>>[0];

/** A retried CONCURRENT_TRANSACTIONS answer is routine between transactions: debug, not error. */
export function quietRoutineRetries(creator: LogCreator): LogCreator {
  return (level) => {
    const log = creator(level);
    return (entry: LogEntry) => {
      const text = `${entry.log.message} ${String(entry.log.error ?? '')}`;
      log(text.includes('concurrent operation on the same transaction') ? { ...entry, level: 5 } : entry);
    };
  };
}
