/* Command line for `pnpm stack:up`, `pnpm stack:down` and `pnpm stack:status`. */
import { stackDown, stackOptions, stackStatus, stackUp } from './stack.ts';
import { StackError } from './stack-error.ts';
import { ENGINE_VERSIONS } from './versions.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<void> {
  const options = stackOptions();
  switch (command) {
    case 'up': {
      const started = Date.now();
      const result = await stackUp(options);
      const how = (fresh: boolean) => (fresh ? 'started' : 'already running');
      print(
        `Kafka ${ENGINE_VERSIONS.kafka} (KRaft, Maven Central jars) ${how(result.started.kafka)}: ${result.kafkaBrokers}`,
      );
      print(
        `Elasticsearch ${ENGINE_VERSIONS.elasticsearch} (integ-test-zip from Maven Central) ${how(result.started.elasticsearch)}: ${result.elasticsearchUrl}`,
      );
      print(
        `state: ${options.stateDir}  cache: ${options.cacheDir}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      print(`export KAFKA_BROKERS=${result.kafkaBrokers} ELASTICSEARCH_URL=${result.elasticsearchUrl}`);
      return;
    }
    case 'down': {
      const stopped = await stackDown(options);
      print(`Kafka: ${stopped.kafka ? 'stopped' : 'was not running'}`);
      print(`Elasticsearch: ${stopped.elasticsearch ? 'stopped' : 'was not running'}`);
      return;
    }
    case 'status': {
      print(JSON.stringify(stackStatus(options), null, 2));
      return;
    }
    default:
      throw new StackError('usage: stack up|down|status');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  if (error instanceof StackError) {
    process.stderr.write(`stack: ${error.message}\n`);
    if (error.cause instanceof Error) process.stderr.write(`  cause: ${error.cause.message}\n`);
  } else {
    process.stderr.write(
      `stack: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
