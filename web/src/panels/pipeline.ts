import type { PipelineResponse } from '@wikistream/shared';
import { h } from '../dom.ts';
import { formatAgo, formatCount, formatDateTime, formatDuration, formatInt, formatRate } from '../format.ts';
import { FRESHNESS_LABELS, freshnessOf } from '../freshness.ts';
import { createPanel, type Panel } from '../panel.ts';
import { dataTable, meter } from '../table.ts';
import { driftSection } from './pipeline-drift.ts';

export interface Pipeline {
  readonly panel: Panel;
  update(pipeline: PipelineResponse, now: number): void;
}

export function freshnessBadge(pipeline: PipelineResponse, now: number): HTMLElement {
  const level = freshnessOf(pipeline.freshness.ageSeconds);
  const newest = pipeline.freshness.newestEventDt;
  const age = pipeline.freshness.ageSeconds;
  const detail = age === null ? 'nothing indexed yet' : `newest event ${formatDuration(age * 1000)} old`;
  return h(
    'span',
    {
      class: `freshness freshness-${level}`,
      'data-freshness': level,
      title: newest ? `Newest indexed event: ${newest} (${formatAgo(Date.parse(newest), now)})` : detail,
    },
    h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'freshness-label' }, FRESHNESS_LABELS[level]),
    h('span', { class: 'freshness-detail' }, detail),
  );
}

function stat(label: string, value: string, hint?: string): HTMLElement {
  return h('div', { class: 'stat', title: hint ?? null }, h('dt', {}, label), h('dd', {}, value));
}

/** Which indexer owns each partition: `#n` in the members' order, with its address as a hint. */
function owners(indexers: PipelineResponse['indexers']): Map<number, { label: string; host: string }> {
  const byPartition = new Map<number, { label: string; host: string }>();
  indexers.members.forEach((member, index) => {
    for (const partition of member.partitions)
      byPartition.set(partition, { label: `#${index + 1}`, host: member.host });
  });
  return byPartition;
}

function lagTable(lag: PipelineResponse['lag'], indexers: PipelineResponse['indexers']): HTMLElement {
  const max = lag.reduce((m, row) => Math.max(m, row.lag), 0);
  const owner = owners(indexers);
  return dataTable(
    'Consumer lag per partition',
    [
      { label: 'Partition', className: 'mono', cell: (row) => String(row.partition) },
      {
        label: 'Indexer',
        className: 'mono subtle',
        cell: (row) => {
          const found = owner.get(row.partition);
          return found ? h('span', { title: found.host }, found.label) : '—';
        },
      },
      { label: 'Committed', numeric: true, className: 'mono subtle', cell: (row) => row.committedOffset },
      { label: 'End', numeric: true, className: 'mono subtle', cell: (row) => row.endOffset },
      {
        label: 'Lag',
        numeric: true,
        className: 'col-count',
        cell: (row) =>
          h(
            'span',
            { class: 'count-cell' },
            meter(max > 0 ? row.lag / max : 0, row.lag > 1000 ? 'warn' : 'accent'),
            h('span', {}, formatInt(row.lag)),
          ),
      },
    ],
    lag,
  );
}

function deadLetters(dlq: PipelineResponse['deadLetters']): HTMLElement {
  if (dlq.total === 0) return h('p', { class: 'subtle ok-text' }, 'No dead letters.');
  return h(
    'ul',
    { class: 'reason-list' },
    ...dlq.byReason.map((row) =>
      h(
        'li',
        {},
        h('span', { class: 'mono' }, row.key),
        h('span', { class: 'reason-count' }, formatInt(row.count)),
      ),
    ),
  );
}

function gapList(gaps: PipelineResponse['gaps']): HTMLElement {
  if (gaps.length === 0) return h('p', { class: 'subtle ok-text' }, 'No gaps recorded.');
  const recent = [...gaps].sort((a, b) => Date.parse(b.from) - Date.parse(a.from)).slice(0, 8);
  return h(
    'ul',
    { class: 'gap-list' },
    ...recent.map((gap) =>
      h(
        'li',
        {},
        h('span', { class: 'badge badge-gap' }, gap.reason),
        h('span', { class: 'mono' }, `${formatDateTime(gap.from)} → ${formatDateTime(gap.to)}`),
        h('span', { class: 'subtle' }, formatDuration(Date.parse(gap.to) - Date.parse(gap.from))),
        gap.detail ? h('span', { class: 'gap-detail subtle' }, gap.detail) : null,
      ),
    ),
  );
}

export function createPipeline(): Pipeline {
  const panel = createPanel({
    id: 'pipeline',
    title: 'Pipeline health',
    description: 'Kafka → indexers → Elasticsearch, as the API sees it now.',
    className: 'span-5',
    skeletonRows: 8,
  });
  return {
    panel,
    update(pipeline, now) {
      panel.meta.replaceChildren(freshnessBadge(pipeline, now));
      const warnings = pipeline.unavailable.map((part) =>
        h('p', { class: 'notice notice-warn', role: 'note' }, `Could not read ${part}; the rest is current.`),
      );
      panel.ready(
        ...warnings,
        h(
          'dl',
          { class: 'stat-grid' },
          stat('In', `${formatRate(pipeline.rates.inPerSecond)}/s`, 'Events written to Kafka per second'),
          stat('Out', `${formatRate(pipeline.rates.outPerSecond)}/s`, 'Events indexed per second'),
          stat('Total lag', formatCount(pipeline.totalLag), 'Events in Kafka not yet indexed'),
          stat(
            'Latency p50',
            formatDuration(pipeline.latency.p50Ms),
            `From upstream to index, ${formatInt(pipeline.latency.sampleSize)} samples`,
          ),
          stat('Latency p99', formatDuration(pipeline.latency.p99Ms)),
          stat('Dead letters', formatCount(pipeline.deadLetters.total)),
          stat(
            'Indexers',
            formatInt(pipeline.indexers.members.length),
            `Members of the indexer group (${pipeline.indexers.state})`,
          ),
        ),
        h('h3', { class: 'subheading' }, 'Lag per partition'),
        pipeline.lag.length > 0
          ? lagTable(pipeline.lag, pipeline.indexers)
          : h('p', { class: 'subtle' }, 'No partitions reported.'),
        h(
          'div',
          { class: 'pipeline-columns' },
          h(
            'div',
            {},
            h('h3', { class: 'subheading' }, 'Dead letters by reason'),
            deadLetters(pipeline.deadLetters),
          ),
          h('div', {}, h('h3', { class: 'subheading' }, 'Gaps'), gapList(pipeline.gaps)),
        ),
        ...driftSection(pipeline.drift, now),
      );
    },
  };
}
