import { afterAll, describe, expect, inject, it } from 'vitest';
import { pipelineNames } from '../../src/e2e/pipeline.ts';
import { streamSource } from '../../src/e2e/scenario.ts';
import { apiEnv, indexerEnv, producerEnv } from '../../src/e2e/service-env.ts';
import { type ServiceProcess, startService } from '../../src/e2e/service-process.ts';
import { countDocuments } from '../../src/e2e/store-documents.ts';
import { startReplayServer } from '../../src/replay/index.ts';
import { deleteIndicesWithPrefix, testElasticsearch } from '../../src/testing/elasticsearch.ts';
import { freePort, startPrivateKafka, waitFor } from '../../src/testing/index.ts';

/**
 * An error log line must mean that an operator should look. On a broker of its own, fresh as on a
 * first `docker compose up` (its coordinators still loading), the pipeline starts, a second indexer
 * joins and leaves again, and everything stops: none of that is an error. Then the broker goes away,
 * which is one.
 */
describe('logs a newcomer can trust', () => {
  const started: ServiceProcess[] = [];
  const names = pipelineNames('quiet-logs');
  const elasticsearchUrl = inject('elasticsearchUrl');
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop(5000)));
    await deleteIndicesWithPrefix(elasticsearchUrl, names.prefix);
  });
  const errors = (services: readonly ServiceProcess[]) =>
    services.flatMap((service) =>
      service.errors.map((entry) => `${service.label}: ${JSON.stringify(entry)}`),
    );

  it('logs no error on start, scale-out, scale-in and stop, and an error when the broker is gone', async () => {
    const kafka = await startPrivateKafka();
    const server = await startReplayServer({
      ...streamSource(3000),
      pacing: { kind: 'rate', perSecond: 100 },
    });
    const options = { kafkaBrokers: kafka.url, elasticsearchUrl, slug: 'quiet-logs', replay: {} };
    const launch = (service: ServiceProcess) => {
      started.push(service);
      return service;
    };
    const api = launch(startService('api', 'api', apiEnv(options, names, await freePort())));
    const first = launch(startService('indexer', 'indexer-1', indexerEnv(options, names)));
    const producer = launch(
      startService('producer', 'producer', producerEnv(options, names, server.url, Date.now() - 1000)),
    );
    const client = testElasticsearch(elasticsearchUrl);
    const indexed = (count: number) =>
      waitFor(async () => (await countDocuments(client, names.prefix)) >= count, {
        timeoutMs: 90_000,
        message: `${count} documents indexed`,
      });
    try {
      await indexed(300);
      const second = launch(startService('indexer', 'indexer-2', indexerEnv(options, names)));
      await second.waitForLog(
        (entry) => entry.msg === 'partitions assigned' && Array.isArray(entry.partitions),
      );
      await indexed(800);
      expect(await second.stop()).toBe(0);
      await indexed(1200);
      const routine = [api, first, second, producer];
      expect(errors(routine)).toEqual([]);

      await kafka.stop();
      await waitFor(() => errors([producer, first]).length > 0, {
        timeoutMs: 90_000,
        message: 'an error line once the broker is gone',
      });
    } finally {
      await server.close();
      await client.close();
    }
  }, 300_000);
});
