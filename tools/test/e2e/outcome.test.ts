import { randomUUID } from 'node:crypto';
import { HEADERS, indexTemplate, indexTemplateName } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { compareOutcome } from '../../src/e2e/outcome.ts';
import { createTestIndexPrefix, testElasticsearch } from '../../src/testing/elasticsearch.ts';
import { fixtureEvents } from '../../src/testing/fixtures.ts';
import { createTestTopic, testKafka } from '../../src/testing/kafka.ts';

describe('the comparison that ends every fault scenario', () => {
  it('counts an event missing from the store, one stored twice, one produced twice, a wrong dead letter and one dead-lettered twice', async () => {
    const brokers = inject('kafkaBrokers');
    const url = inject('elasticsearchUrl');
    const topic = await createTestTopic(brokers, 'e2e-outcome');
    const deadLetterTopic = await createTestTopic(brokers, 'e2e-outcome-dlq');
    const prefix = createTestIndexPrefix(url, 'e2e-outcome');
    const events = fixtureEvents()
      .slice(0, 5)
      .map((event) => ({ ...event, meta: { ...(event.meta as object), id: randomUUID() as string } }));
    const ids = events.map((event) => event.meta.id);

    const producer = testKafka(brokers).producer();
    await producer.connect();
    // The first event is produced twice.
    await producer.send({
      topic,
      messages: [...events, events[0]].map((e) => ({ value: JSON.stringify(e) })),
    });
    // The indexer dead-letters at least once: a record it dead-lettered just before a SIGKILL is
    // dead-lettered again by the member that reads it next. Both name the same source record.
    const fromIndexer = {
      value: 'far-dated',
      headers: {
        [HEADERS.reason]: 'time_out_of_range',
        [HEADERS.stage]: 'indexer',
        [HEADERS.sourceTopic]: topic,
        [HEADERS.sourcePartition]: '0',
        [HEADERS.sourceOffset]: '42',
      },
    };
    await producer.send({
      topic: deadLetterTopic,
      messages: [
        { value: 'not json', headers: { [HEADERS.reason]: 'invalid_json' } },
        fromIndexer,
        fromIndexer,
      ],
    });
    await producer.disconnect();
    // The first event never reaches the store; the second is in two daily indices, which the
    // template puts in the read alias, as it does the indexer's.
    const client = testElasticsearch(url);
    await client.indices.putIndexTemplate({ name: indexTemplateName(prefix), ...indexTemplate({ prefix }) });
    const operations = events
      .slice(1)
      .flatMap((event) => [{ index: { _index: `${prefix}-2026.01.01`, _id: event.meta.id } }, event]);
    operations.push(
      { index: { _index: `${prefix}-2026.01.02`, _id: ids[1] as string } },
      events[1] as (typeof events)[number],
    );
    await client.bulk({ operations, refresh: true });
    await client.close();

    const outcome = await compareOutcome(
      { kafkaBrokers: brokers, elasticsearchUrl: url, topic, deadLetterTopic, prefix, apiUrl: '' },
      {
        ids,
        servedIds: ids.length,
        deadLetters: { invalid_json: 1, too_large: 1, time_out_of_range: 1 },
        from: 0,
        to: 1,
      },
      { deadLetterWaitMs: 0 },
    );
    expect(outcome).toMatchObject({
      expected: 5,
      documents: 5,
      indexed: 4,
      lost: 1,
      lostSample: [ids[0]],
      duplicateDocuments: 1,
      duplicateRecords: 1,
      duplicated: 2,
      unexpected: 0,
      kafkaRecords: 6,
      deadLettered: 3,
      deadLetterRepeats: 1,
      deadLettersByReason: { invalid_json: 1, time_out_of_range: 1 },
      deadLettersMatch: false,
    });
  }, 120_000);
});
