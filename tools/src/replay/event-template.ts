/**
 * An event serialised once with placeholders where the replay server changes values per emission
 * (meta.id, meta.dt, meta.offset, …), so serving an event is a string concatenation, not a
 * JSON.parse + JSON.stringify round trip. The output is exactly `JSON.stringify(event)` with the
 * slot values filled in, as EventStreams writes it.
 */
export const SLOTS = ['id', 'dt', 'timestamp', 'topic', 'partition', 'offset'] as const;
export type Slot = (typeof SLOTS)[number];
export type SlotValues = { readonly [K in Slot]: K extends 'id' | 'dt' | 'topic' ? string : number };

export interface EventTemplate {
  readonly parts: readonly string[];
  readonly slots: readonly Slot[];
}

const marker = (slot: Slot) => `@@replay-${slot}@@`;
const MARKER_PATTERN = /"@@replay-(id|dt|timestamp|topic|partition|offset)@@"/g;

/** `event` must be a parsed event object with a `meta` object; it is not modified. */
export function compileTemplate(event: Record<string, unknown>): EventTemplate {
  const meta = { ...(event.meta as Record<string, unknown>) };
  meta.id = marker('id');
  meta.dt = marker('dt');
  meta.topic = marker('topic');
  meta.partition = marker('partition');
  meta.offset = marker('offset');
  const copy: Record<string, unknown> = { ...event, meta };
  if (typeof event.timestamp === 'number') copy.timestamp = marker('timestamp');
  const text = JSON.stringify(copy);
  const parts: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER_PATTERN)) {
    parts.push(text.slice(last, match.index));
    slots.push(match[1] as Slot);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return { parts, slots };
}

export function renderTemplate(template: EventTemplate, values: SlotValues): string {
  let out = template.parts[0] ?? '';
  for (let i = 0; i < template.slots.length; i++) {
    const slot = template.slots[i] as Slot;
    const value = values[slot];
    out += typeof value === 'string' ? JSON.stringify(value) : String(value);
    out += template.parts[i + 1];
  }
  return out;
}
