import type { Logger } from 'pino';

/**
 * A kafkajs `logCreator` that forwards into pino. kafkajs's numeric levels are mirrored here
 * (NOTHING 0, ERROR 1, WARN 2, INFO 4, DEBUG 5) so this package does not depend on kafkajs.
 */
interface KafkaLogEntry {
  namespace: string;
  level: number;
  label: string;
  log: { message: string; timestamp?: string; [key: string]: unknown };
}

const KAFKA_LEVEL = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * Messages kafkajs logs as errors or warnings although nothing is wrong: answers it retries by
 * itself while a coordinator or leader moves or loads, the steps of an ordinary rebalance, a topic
 * that already exists, the producer's note on limited retries (a failed transaction is aborted and
 * the producer restarts from its cursor, so retries need not be endless). Real failures (a broker
 * that cannot be reached, retries exhausted, a crash) keep their level: an error log line must mean
 * an operator should look.
 */
const ROUTINE: readonly { readonly fragment: string; readonly level: KafkaLogLevel }[] = [
  { fragment: "The coordinator is loading and hence can't process requests", level: 'debug' },
  { fragment: 'The group coordinator is not available', level: 'debug' },
  { fragment: 'This is not the correct coordinator for this group', level: 'debug' },
  { fragment: 'There is no leader for this topic-partition', level: 'debug' },
  { fragment: 'This server is not the leader for that topic-partition', level: 'debug' },
  { fragment: 'Topic with this name already exists', level: 'debug' },
  // CreateTopics answered with per-topic errors (above all: it exists already, which the services'
  // create-if-missing expects). Any other cause fails the call, and the caller logs that.
  { fragment: 'Topic creation errors', level: 'debug' },
  { fragment: 'another concurrent operation on the same transaction was ongoing', level: 'debug' },
  { fragment: 'Limiting retries for the idempotent producer', level: 'debug' },
  { fragment: 'The group is rebalancing', level: 'info' },
  { fragment: 'The coordinator is not aware of this member', level: 'info' },
  { fragment: 'Specified group generation id is not valid', level: 'info' },
];

/** The level a kafkajs log entry is written at: its own, or a routine message's lower one. */
export function kafkaLogLevel(level: number, message: string, error?: unknown): KafkaLogLevel | undefined {
  if (level <= KAFKA_LEVEL.NOTHING) return undefined;
  const own: KafkaLogLevel =
    level === KAFKA_LEVEL.ERROR
      ? 'error'
      : level === KAFKA_LEVEL.WARN
        ? 'warn'
        : level === KAFKA_LEVEL.INFO
          ? 'info'
          : 'debug';
  if (own === 'info' || own === 'debug') return own;
  // kafkajs restarts a consumer only after a retriable failure (a coordinator still loading on a
  // fresh broker, say): worth a warning, in case it repeats, but not an error.
  if (message.startsWith('Restarting the consumer')) return 'warn';
  const text = `${message} ${typeof error === 'string' ? error : ''}`;
  const routine = ROUTINE.find((entry) => text.includes(entry.fragment));
  if (!routine) return own;
  // A crash is never routine, whatever answer caused it.
  return message.startsWith('Crash: ') ? 'warn' : routine.level;
}

export function kafkaLogCreator(logger: Logger): (level: number) => (entry: KafkaLogEntry) => void {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const target = kafkaLogLevel(level, message, fields.error);
      if (target !== undefined) kafkaLogger[target]({ namespace, ...fields }, message);
    };
}
