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

export function kafkaLogCreator(logger: Logger): (level: number) => (entry: KafkaLogEntry) => void {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const context = { namespace, ...fields };
      if (level <= KAFKA_LEVEL.NOTHING) return;
      if (level === KAFKA_LEVEL.ERROR) kafkaLogger.error(context, message);
      else if (level === KAFKA_LEVEL.WARN) kafkaLogger.warn(context, message);
      else if (level === KAFKA_LEVEL.INFO) kafkaLogger.info(context, message);
      else kafkaLogger.debug(context, message);
    };
}
