import { ConfigError, createLogger, isWikistreamError, topicNames } from '@wikistream/shared';
import { readConfig } from './config.ts';
import { createKafkaPort } from './kafka.ts';
import { redriveDeadLetters, redriveGroupId } from './redrive.ts';
import { parseRedriveArgs } from './redrive-args.ts';

/**
 * `pnpm dlq:redrive -- [--reason R] [--limit N]`: publishes dead letters back to the data topic
 * after a fix. Prints a JSON summary on stdout; logs go to stderr.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  let args: ReturnType<typeof parseRedriveArgs>;
  try {
    config = readConfig();
    args = parseRedriveArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError) && !isWikistreamError(error)) throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ name: 'dlq-redrive', level: config.LOG_LEVEL, destination: process.stderr });
  const topics = topicNames(config.KAFKA_TOPIC);
  const kafka = createKafkaPort({
    brokers: config.KAFKA_BROKERS,
    clientId: 'wikistream-dlq-redrive',
    logger,
  });
  const sender = await kafka.createSender();
  try {
    const summary = await redriveDeadLetters({
      ...args,
      kafka,
      sender,
      deadLetterTopic: topics.deadLetter,
      dataTopic: topics.data,
      groupId: redriveGroupId(config.KAFKA_GROUP_ID, args.reason),
      logger,
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await sender.close();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`dlq:redrive failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
