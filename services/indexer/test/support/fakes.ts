import type { ConsumerBatch, InboundMessage } from '../../src/consumer-batch.ts';
import type { BulkReply } from '../../src/index-actions.ts';

export const valid = (id: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    meta: { id, dt: '2026-02-26T15:49:36Z', domain: 'en.wikipedia.org' },
    type: 'edit',
    ...fields,
  });

export const message = (offset: number, value: string): InboundMessage => ({
  offset: String(offset),
  key: null,
  value: Buffer.from(value),
  headers: {},
});

/** A batch whose controls record what was done with them. */
export function fakeBatch(messages: InboundMessage[], overrides: Partial<ConsumerBatch> = {}) {
  const log: string[] = [];
  const batch: ConsumerBatch = {
    topic: 't',
    partition: 2,
    highWatermark: String(Number(messages.at(-1)?.offset ?? 0) + 1),
    lastOffset: messages.at(-1)?.offset ?? '0',
    messages,
    resolveOffset: (offset) => log.push(`resolve ${offset}`),
    commit: async () => {
      log.push('commit');
    },
    heartbeat: async () => {
      log.push('heartbeat');
    },
    isRunning: () => true,
    isStale: () => false,
    ...overrides,
  };
  return { batch, log };
}

const idsOf = (body: Buffer) =>
  body
    .toString()
    .split('\n')
    .filter((line, index) => index % 2 === 0 && line !== '')
    .map((line) => JSON.parse(line).index._id as string);

const replyFor = (ids: string[], statuses: Record<string, number> | 'down'): BulkReply =>
  statuses === 'down'
    ? { kind: 'failed', detail: 'ConnectionError: ECONNREFUSED' }
    : {
        kind: 'items',
        items: ids.map((id) => ({
          index: {
            status: statuses[id] ?? 201,
            error: statuses[id] ? { type: 'document_parsing_exception', reason: id } : undefined,
          },
        })),
      };

/** Answers each bulk request with a status per id (201 unless listed), or a whole-request failure. */
export function fakeElasticsearch(answer: (ids: string[], call: number) => Record<string, number> | 'down') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async bulk(body: Buffer): Promise<BulkReply> {
      const ids = idsOf(body);
      return replyFor(ids, answer(ids, calls++));
    },
  };
}

/** Holds every bulk request until the test answers it: bulks in flight, in the order they came. */
export function heldElasticsearch() {
  const held: { ids: string[]; answer(statuses?: Record<string, number> | 'down'): void }[] = [];
  return {
    held,
    bulk(body: Buffer): Promise<BulkReply> {
      const ids = idsOf(body);
      return new Promise((resolve) => {
        held.push({ ids, answer: (statuses = {}) => resolve(replyFor(ids, statuses)) });
      });
    },
  };
}
