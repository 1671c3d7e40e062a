import type { EventSummary } from '@wikistream/shared';
import type { Filters } from '../query/filters.ts';

/** The live feed's filter: the same meaning as the Elasticsearch filters, on one summary. */
export function liveMatcher(filters: Filters): (summary: EventSummary) => boolean {
  const wikis = filters.wikis ? new Set(filters.wikis) : undefined;
  const types = filters.types ? new Set(filters.types) : undefined;
  const namespaces = filters.namespaces ? new Set(filters.namespaces) : undefined;
  const kinds = filters.editorKinds ? new Set(filters.editorKinds) : undefined;
  return (summary) =>
    (!wikis || (summary.wiki !== null && wikis.has(summary.wiki))) &&
    (!types || types.has(summary.type)) &&
    (filters.bot === undefined || summary.bot === filters.bot) &&
    (filters.anonymous === undefined || summary.anonymous === filters.anonymous) &&
    (!kinds || kinds.has(summary.editorKind)) &&
    (!namespaces || (summary.namespace !== null && namespaces.has(summary.namespace)));
}
