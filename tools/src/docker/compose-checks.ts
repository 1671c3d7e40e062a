import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineResponse } from '@wikistream/shared';
import type { ComposeProject } from './compose-project.ts';

/**
 * What a compose stack holds, read from inside it: only the api is published, so Kafka and
 * Elasticsearch are asked through their own containers' tools, as an operator would.
 */

/** Every committed record of a topic, by meta.id (a count above 1 is a duplicate). */
export async function kafkaRecordIds(project: ComposeProject, topic: string): Promise<Map<string, number>> {
  const result = await project.run([
    'exec',
    '-T',
    // The broker's own heap setting would start a second 512 MiB JVM next to it in its memory limit.
    '-e',
    'KAFKA_HEAP_OPTS=-Xmx256m',
    'kafka',
    '/opt/kafka/bin/kafka-console-consumer.sh',
    '--bootstrap-server',
    'localhost:9092',
    '--topic',
    topic,
    '--from-beginning',
    '--isolation-level',
    'read_committed',
    '--timeout-ms',
    '15000',
  ]);
  const counts = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const id = (JSON.parse(line) as { meta?: { id?: string } }).meta?.id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function elasticsearch(
  project: ComposeProject,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const result = await project.run(
    [
      'exec',
      '-T',
      'elasticsearch',
      'curl',
      '-sS',
      '--fail-with-body',
      '-H',
      'Content-Type: application/json',
      ...(body === undefined ? [] : ['--data-binary', '@-']),
      `http://localhost:9200${path}`,
    ],
    body === undefined ? {} : { input: JSON.stringify(body) },
  );
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Documents in the indices of `prefix`, and how many of `ids` are among them. */
export async function storeCounts(
  project: ComposeProject,
  prefix: string,
  ids: readonly string[],
): Promise<{ documents: number; found: number }> {
  // The daily indices only (`<prefix>-*`), not the api's rollups (`<prefix>_rollup…`).
  const pattern = `${prefix}-*`;
  await elasticsearch(project, `/${pattern}/_refresh`);
  const documents = Number((await elasticsearch(project, `/${pattern}/_count`)).count);
  const search = (await elasticsearch(project, `/${pattern}/_search`, {
    size: 0,
    track_total_hits: true,
    query: { ids: { values: ids } },
  })) as { hits: { total: { value: number } } };
  return { documents, found: search.hits.total.value };
}

export async function pipeline(apiUrl: string): Promise<PipelineResponse | undefined> {
  const response = await fetch(`${apiUrl}/api/pipeline`).catch(() => undefined);
  return response?.ok ? ((await response.json()) as PipelineResponse) : undefined;
}

/**
 * Polls /api/pipeline until the indexer group is stable with `members` members that together own
 * all `partitions`, each at least one; resolves with the milliseconds it took.
 */
export async function groupSettled(
  apiUrl: string,
  members: number,
  partitions: number,
  timeoutMs: number,
): Promise<{ ms: number; report: PipelineResponse }> {
  const started = Date.now();
  let last: PipelineResponse | undefined;
  while (Date.now() - started < timeoutMs) {
    last = (await pipeline(apiUrl)) ?? last;
    const group = last?.indexers;
    if (
      last &&
      group?.state === 'Stable' &&
      group.members.length === members &&
      group.members.every((member) => member.partitions.length > 0) &&
      new Set(group.members.flatMap((member) => member.partitions)).size === partitions
    ) {
      return { ms: Date.now() - started, report: last };
    }
    await sleep(200);
  }
  throw new Error(
    `the indexer group did not settle on ${members} members owning ${partitions} partitions within ${timeoutMs} ms; last seen: ${JSON.stringify(last?.indexers)}`,
  );
}
