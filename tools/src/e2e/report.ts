import type { ScenarioResult } from './scenario.ts';

/** A plain-text table: first row is the header, columns padded, numbers right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column > 0 && /^[-\d.,∞NaN ]+$/.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const number = (value: number) => (Number.isNaN(value) ? 'NaN' : value.toLocaleString('en-US'));

/** The chaos table: scenario, events served, indexed, dead-lettered, lost, duplicated, time to drain. */
export function chaosTable(results: readonly ScenarioResult[]): string {
  const rows = [
    ['scenario', 'served', 'indexed', 'dead-lettered', 'lost', 'duplicated', 'drain (s)', 'crashes'],
    ...results.map((r) => [
      r.title,
      number(r.outcome.served),
      number(r.outcome.indexed),
      number(Object.values(r.outcome.deadLettersByReason).reduce((a, b) => a + b, 0)),
      number(r.outcome.lost),
      number(r.outcome.duplicated),
      Number.isNaN(r.drainSeconds) ? 'never' : r.drainSeconds.toFixed(1),
      String(r.crashes.length),
    ]),
  ];
  return formatTable(rows);
}

/** Everything about one scenario a reader needs when a number is not zero. */
export function scenarioDetails(result: ScenarioResult): string {
  const o = result.outcome;
  const lines = [
    `${result.slug} (seed ${result.seed}): ${number(o.expected)} events in ${result.streamSeconds.toFixed(0)} s, ` +
      `${number(result.framesSent)} frames sent, ${number(o.documents)} documents, ${number(o.kafkaRecords)} data records`,
    `  dead letters ${JSON.stringify(o.deadLettersByReason)} expected ${JSON.stringify(o.expectedDeadLetters)}` +
      (o.deadLetterRepeats > 0 ? `; ${o.deadLetterRepeats} written again after a crash (at least once)` : ''),
    `  api: stats total ${o.apiEvents ?? 'n/a'}, pipeline dead letters ${o.apiDeadLetters ?? 'n/a'}`,
    `  exit codes ${JSON.stringify(result.exitCodes)}`,
    ...result.notes.map((note) => `  ${note}`),
  ];
  if (o.lost > 0) lines.push(`  lost e.g. ${o.lostSample.join(', ')}`);
  if (o.duplicated > 0)
    lines.push(`  duplicates: ${o.duplicateDocuments} documents, ${o.duplicateRecords} data records`);
  for (const crash of result.crashes)
    lines.push(`  ${crash.label} ended by itself (${crash.code}):\n${crash.tail.replace(/^/gm, '    ')}`);
  return lines.join('\n');
}
