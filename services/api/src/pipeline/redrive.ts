import { fromDeadLetterMessage, type RedriveResponse, type TopicNames } from '@wikistream/shared';
import { ApiErrorCode, ApiHttpError, invalidParameter } from '../http/api-error.ts';
import type { KafkaPort } from '../kafka/kafka-types.ts';

export interface RedriveRequest {
  partition?: number | undefined;
  fromOffset?: string | undefined;
  reason?: string | undefined;
  limit?: number | undefined;
}

/** Dead letters back into the data topic: the original key, bytes and headers, unchanged. */
export async function redrive(
  kafka: KafkaPort,
  topics: TopicNames,
  request: RedriveRequest,
): Promise<RedriveResponse> {
  const partition = request.partition ?? 0;
  if ((await kafka.existingTopics([topics.deadLetter])).length === 0)
    throw new ApiHttpError(
      404,
      ApiErrorCode.NotFound,
      `The dead-letter topic ${topics.deadLetter} does not exist`,
    );
  const offsets = await kafka.endOffsets(topics.deadLetter);
  const range = offsets.find((entry) => entry.partition === partition);
  if (!range) throw invalidParameter('partition', `does not exist in ${topics.deadLetter}`);
  const start =
    request.fromOffset !== undefined && BigInt(request.fromOffset) > BigInt(range.low)
      ? request.fromOffset
      : range.low;
  const records = await kafka.readPartition(topics.deadLetter, partition, start, request.limit ?? 100);
  const letters = records
    .map((record) => fromDeadLetterMessage(record))
    .filter(
      (letter) => letter !== undefined && (request.reason === undefined || letter.reason === request.reason),
    );
  if (letters.length > 0) {
    await kafka.produce(
      topics.data,
      letters.map((letter) => ({
        key: letter?.key ?? null,
        value: letter?.value ?? Buffer.alloc(0),
        headers: { ...letter?.headers },
      })),
    );
  }
  return { redriven: letters.length };
}
