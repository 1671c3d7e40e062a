import { classifyEvent, derivedFields, type RecentChangeEvent, toDocument } from '@wikistream/shared';
import { fixtureLines } from '@wikistream/tools/testing';
import { describe, expect, it } from 'vitest';
import { documentSource } from '../src/document-source.ts';

const provenance = { kafkaPartition: 1, kafkaOffset: '7', sseId: 's', receivedAt: 1, indexedAt: 2 };

function build(text: string | Buffer) {
  const value = typeof text === 'string' ? Buffer.from(text) : text;
  const result = classifyEvent(value);
  if (!result.ok) throw new Error(result.detail);
  const document = toDocument(result.event, provenance);
  const derived = derivedFields(result.event, provenance);
  return { source: Buffer.concat(documentSource(value, result.event, derived)), document };
}

/** What serializing toDocument's result gives: the reference every source must match. */
const expected = (document: unknown) => JSON.parse(JSON.stringify(document));

describe('documentSource', () => {
  it('equals the serialized toDocument result for every recorded fixture event, on one line', () => {
    for (const { text } of fixtureLines()) {
      const { source, document } = build(text);
      expect(source.includes(0x0a)).toBe(false);
      expect(JSON.parse(source.toString())).toEqual(expected(document));
    }
  });

  it('reuses the original bytes and only appends the added fields', () => {
    const text = '{"meta":{"id":"a","dt":"2026-02-26T15:49:36Z"},"title":"Foo"}';
    const { source } = build(`${text}  `);
    expect(source.toString().startsWith(text.slice(0, -1))).toBe(true);
    expect(source.toString()).toContain(
      ',"byte_delta":null,"editor_kind":"registered","is_anonymous":false,"title_text":"Foo","pipeline":{',
    );
  });

  it('serializes the whole document when the record spans several lines', () => {
    const { source, document } = build(
      '{\n  "meta": {"id": "a", "dt": "2026-02-26T15:49:36Z"},\n  "title": "Foo"\n}\n',
    );
    expect(source.includes(0x0a)).toBe(false);
    expect(JSON.parse(source.toString())).toEqual(expected(document));
  });

  it('lets the pipeline fields win, as toDocument does, when the event already has one of them', () => {
    const { source } = build(
      '{"meta":{"id":"a","dt":"2026-02-26T15:49:36Z"},"pipeline":{"kafka_offset":"bogus"}}',
    );
    const parsed = JSON.parse(source.toString()) as { pipeline: { kafka_offset: string } };
    expect(parsed.pipeline.kafka_offset).toBe('7');
    expect(source.toString().match(/"pipeline"/g)).toHaveLength(1);
  });

  it('leaves out event fields that would forge or shadow a derived one, as toDocument does', () => {
    for (const extra of [
      '"pipeline.kafka_partition":99',
      '"title_text":{"not":"text"}',
      '"is_anonymous.x":true,"byte_delta":"upstream"',
    ]) {
      const { source, document } = build(
        `{"meta":{"id":"a","dt":"2026-02-26T15:49:36Z"},"user":"Ann",${extra}}`,
      );
      const parsed = JSON.parse(source.toString());
      expect(parsed).toEqual(expected(document));
      expect(Object.keys(parsed).sort()).toEqual([
        'byte_delta',
        'editor_kind',
        'is_anonymous',
        'meta',
        'pipeline',
        'user',
      ]);
      expect(parsed.pipeline.kafka_partition).toBe(1);
    }
  });

  it('never forwards bytes that are not UTF-8', () => {
    const value = Buffer.concat([
      Buffer.from('{"meta":{"id":"a","dt":"2026-02-26T15:49:36Z"},"title":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const event = JSON.parse(value.toString()) as RecentChangeEvent;
    const source = Buffer.concat(documentSource(value, event, derivedFields(event, provenance)));
    expect(source.includes(0xff)).toBe(false);
    expect(JSON.parse(source.toString()).title).toBe('\uFFFD');
  });

  it('adds the derived fields to an event with no fields of its own without a stray comma', () => {
    for (const text of ['{}', '{ }', '{\t}  ']) {
      const value = Buffer.from(text);
      const source = Buffer.concat(
        documentSource(value, {} as RecentChangeEvent, derivedFields({} as RecentChangeEvent, provenance)),
      );
      expect(JSON.parse(source.toString())).toEqual(
        expected(toDocument({} as RecentChangeEvent, provenance)),
      );
    }
  });
});
