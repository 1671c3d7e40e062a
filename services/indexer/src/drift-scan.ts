import { KNOWN_EVENT_FIELDS, type RecentChangeEvent } from '@wikistream/shared';

/**
 * Pure: the schema version an event names: `$schema`, else the legacy `meta.schema_uri` (events of
 * 2017–2019), else undefined. The classifier has made sure both are strings when present.
 */
export function schemaOf(event: RecentChangeEvent): string | undefined {
  return event.$schema ?? event.meta.schema_uri;
}

/**
 * Pure: the event's top-level fields outside the contract (KNOWN_EVENT_FIELDS), in its order, or
 * undefined when there is none, as for every recorded event. It runs for every event indexed: one
 * pass over the already parsed event's own keys, a set lookup each, and no allocation unless a
 * field is unknown (`for…in`, as in the classifier: `Object.keys` would allocate the array).
 */
export function unknownFields(event: RecentChangeEvent): string[] | undefined {
  let unknown: string[] | undefined;
  for (const key in event) {
    if (!KNOWN_EVENT_FIELDS.has(key)) {
      unknown ??= [];
      unknown.push(key);
    }
  }
  return unknown;
}
