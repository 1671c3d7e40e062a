import type { SchemaDrift, SchemaVersionDrift, UnknownField } from '@wikistream/shared';
import { h } from '../dom.ts';
import { formatAgo, formatDateTime, formatInt } from '../format.ts';
import { dataTable } from '../table.ts';

type FieldRow = UnknownField & { readonly schema: string };

const occurrences = (version: SchemaVersionDrift) =>
  version.unknownFields.reduce((all, field) => all + field.count, version.otherFields);

function versionTable(schemas: readonly SchemaVersionDrift[]): HTMLElement {
  return dataTable(
    'Events per schema version, last 24 hours',
    [
      { label: 'Version', className: 'mono col-wrap', cell: (row) => row.schema },
      { label: 'Events', numeric: true, cell: (row) => formatInt(row.events) },
      { label: 'Unknown fields', numeric: true, cell: (row) => formatInt(occurrences(row)) },
    ],
    schemas,
    { className: 'drift-versions', rowKey: (row) => row.schema },
  );
}

function fieldTable(fields: readonly FieldRow[], now: number): HTMLElement {
  return dataTable(
    'Top-level fields outside the event contract, last 24 hours',
    [
      { label: 'Field', className: 'mono col-wrap', cell: (row) => row.name },
      { label: 'Version', className: 'mono subtle col-wrap', cell: (row) => row.schema },
      { label: 'Count', numeric: true, cell: (row) => formatInt(row.count) },
      {
        label: 'First seen',
        className: 'subtle',
        cell: (row) =>
          h(
            'time',
            { datetime: row.firstSeen, title: formatAgo(Date.parse(row.firstSeen), now) },
            formatDateTime(row.firstSeen),
          ),
      },
    ],
    fields,
    { className: 'drift-fields', rowKey: (row) => `${row.schema} ${row.name}` },
  );
}

/**
 * The pipeline panel's schema drift: events per `$schema` version and the top-level fields outside
 * the contract, which stay in the stored documents without being searchable. All of it is upstream
 * text, so it only ever becomes text nodes. A heading and a block, not one box: the panel's spacing
 * between subheadings then applies.
 */
export function driftSection(drift: SchemaDrift, now: number): HTMLElement[] {
  const fields = drift.schemas.flatMap((version) =>
    version.unknownFields.map((field) => ({ ...field, schema: version.schema })),
  );
  const other = drift.schemas.reduce((all, version) => all + version.otherFields, 0);
  const parts: HTMLElement[] = [];
  if (drift.schemas.length === 0) {
    parts.push(h('p', { class: 'subtle' }, 'No events counted in the last 24 hours.'));
  } else {
    parts.push(versionTable(drift.schemas));
    parts.push(
      fields.length === 0 && other === 0
        ? h('p', { class: 'subtle ok-text' }, 'No unknown fields: every event fits the contract.')
        : fieldTable(fields, now),
    );
  }
  if (other > 0)
    parts.push(
      h(
        'p',
        { class: 'subtle drift-other' },
        `${formatInt(other)} more occurrences of unknown fields, not listed by name.`,
      ),
    );
  return [
    h(
      'h3',
      {
        class: 'subheading',
        title: 'Unknown fields are kept in the stored events but not indexed: they cannot be searched yet.',
      },
      'Schema drift (24 h)',
    ),
    h('div', { class: 'drift', role: 'group', 'aria-label': 'Schema drift' }, ...parts),
  ];
}
