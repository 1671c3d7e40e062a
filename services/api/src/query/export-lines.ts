import type { EventSummary } from '@wikistream/shared';

export const CSV_COLUMNS = [
  'id',
  'dt',
  'wiki',
  'type',
  'namespace',
  'title',
  'user',
  'bot',
  'anonymous',
  'editorKind',
  'minor',
  'byteDelta',
  'comment',
  'serverUrl',
  'logType',
  'logAction',
  'revisionOld',
  'revisionNew',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (= + - @, tab,
 * CR) gets a leading apostrophe: titles and comments are untrusted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(event: EventSummary): string {
  const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    ...event,
    revisionOld: event.revision?.old ?? null,
    revisionNew: event.revision?.new ?? null,
  };
  return `${CSV_COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`;
}

export function ndjsonLine(event: EventSummary): string {
  return `${JSON.stringify(event)}\n`;
}
