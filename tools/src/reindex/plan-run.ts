import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  type IndexDay,
  indexPattern,
  indexTemplateName,
  TEMPLATE_VERSION,
  versionedIndexName,
  WikistreamError,
} from '@wikistream/shared';
import type { ReindexArgs } from './args.ts';
import { kafkaPassState, planKafka } from './kafka-pass.ts';
import { dayLayouts, nextVersionName } from './layout.ts';
import type { ReindexDeps } from './reindex-deps.ts';
import type { DayState, RunState } from './run-state.ts';
import type { ReindexStore } from './store.ts';
import { templateOptions } from './templates.ts';
import { daysInWindow } from './window.ts';

/** A new run: the days of the window that have an index, each with the name of its next version. */
export async function planRun(
  deps: ReindexDeps,
  args: ReindexArgs,
): Promise<{ run: RunState; missing: IndexDay[] }> {
  const { store, prefix } = deps;
  const listing = await store.aliases(indexPattern(prefix));
  const layouts = dayLayouts(prefix, daysInWindow(args.from, args.to), listing);
  const days: DayState[] = [];
  for (const layout of layouts) {
    if (layout.current === undefined) continue;
    const keep = args.keepOld && layout.plain ? versionedIndexName(prefix, layout.day, 1) : undefined;
    if (keep !== undefined && listing[keep] !== undefined)
      throw new WikistreamError(
        ErrorCode.ReindexIncomplete,
        `${keep} exists already: delete it to keep the old version there`,
      );
    days.push({
      day: layout.day,
      current: layout.current,
      plain: layout.plain,
      target: nextVersionName(prefix, layout),
      keep,
      phase: 'planned',
      total: await store.count(layout.current),
      copied: 0,
      caughtUp: 0,
      rejected: 0,
    });
  }
  const now = new Date(deps.clock()).toISOString();
  const id = randomUUID();
  let kafka: RunState['kafka'];
  if (args.source === 'kafka' && days.length > 0) {
    if (!deps.kafka) throw new Error('reading Kafka needs a Kafka source');
    const plan = await planKafka(
      deps.kafka,
      deps.topic,
      days.map((day) => day.day),
      deps.lateDays,
    );
    kafka = kafkaPassState(`wikistream-reindex.${prefix}.${id}`, plan);
  }
  const run: RunState = {
    id,
    prefix,
    from: new Date(args.from).toISOString(),
    to: new Date(args.to).toISOString(),
    source: args.source,
    keepOld: args.keepOld,
    startedAt: now,
    updatedAt: now,
    owner: null,
    days,
    ...(kafka ? { kafka } : {}),
  };
  return {
    run,
    missing: layouts.filter((layout) => layout.current === undefined).map((layout) => layout.day),
  };
}

export async function templatesNote(store: ReindexStore, prefix: string): Promise<string | undefined> {
  const installed = await store.templateVersion(indexTemplateName(prefix));
  if (installed === TEMPLATE_VERSION) return undefined;
  return `Installs index template version ${TEMPLATE_VERSION} (installed: ${installed ?? 'none'}) and the versions template.`;
}

export async function liveSettings(store: ReindexStore, prefix: string): Promise<Record<string, unknown>> {
  const options = templateOptions(await store.templateSettings(indexTemplateName(prefix)));
  return {
    'index.refresh_interval': options.refreshInterval ?? '1s',
    'index.number_of_replicas': options.replicas ?? 0,
  };
}
