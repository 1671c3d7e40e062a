import type { IndexDay } from '@wikistream/shared';
import { kafkaProgress } from './kafka-pass.ts';
import type { DayState, RunState } from './run-state.ts';

const number = (value: number) => value.toLocaleString('en-US');

/** Pure: what one day's rebuild does, in a sentence. */
export function describeDay(day: DayState, keepOld: boolean): string {
  const from = `${day.current} (${day.plain ? 'plain, ' : ''}${number(day.total)} documents)`;
  const away = day.plain
    ? day.keep
      ? `its documents are kept in ${day.keep}, the day's name becomes an alias`
      : `${day.current} is deleted and the day's name becomes an alias`
    : keepOld
      ? `${day.current} is kept, read-only`
      : `${day.current} is deleted`;
  const state =
    day.phase === 'planned' ? '' : ` [${day.phase}${day.copied > 0 ? `, ${number(day.copied)} copied` : ''}]`;
  return `  ${day.day}  ${from} → ${day.target}; ${away}${state}`;
}

/** Pure: the dry run's report: what would be done, and where an unfinished run stands. */
export function describeRun(
  run: RunState,
  context: { resuming: boolean; missing: readonly IndexDay[]; topic: string; templates: string | undefined },
): string[] {
  const lines = ['Dry run: nothing is changed.'];
  lines.push(
    `Window ${run.from} – ${run.to}, source ${run.source}, old versions ${run.keepOld ? 'kept' : 'deleted'}.`,
  );
  if (context.resuming) lines.push(`Resumes the unfinished run ${run.id}, started ${run.startedAt}.`);
  if (context.templates) lines.push(context.templates);
  for (const day of run.days) lines.push(describeDay(day, run.keepOld));
  for (const day of context.missing) lines.push(`  ${day}  no index: nothing to rebuild`);
  if (run.kafka) {
    const { done, total } = kafkaProgress(run.kafka);
    const partitions = Object.keys(run.kafka.from).length;
    lines.push(
      `Reads ${number(total - done)} records of ${context.topic} (${partitions} partitions, offsets ${JSON.stringify(run.kafka.from)} to ${JSON.stringify(run.kafka.until)}).`,
    );
  }
  if (run.days.length > 0)
    lines.push(
      'Each day: copy and re-derive, catch up what the indexer writes meanwhile, freeze the old version for ' +
        'a few seconds (the indexer retries its writes), copy the last ones, compare counts, swap the ' +
        "read alias and the day's name in one atomic call.",
    );
  else lines.push('No day of the window has an index: nothing to do.');
  return lines;
}
