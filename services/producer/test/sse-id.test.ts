import { describe, expect, it } from 'vitest';
import {
  eventPosition,
  formatSseId,
  latestTimestamp,
  parseSseId,
  rewindSseId,
  sseIdProblem,
} from '../src/sse-id.ts';

const EQIAD = 'eqiad.mediawiki.recentchange';
const CODFW = 'codfw.mediawiki.recentchange';
const REAL_ID = `[{"topic":"${EQIAD}","partition":0,"timestamp":1746030241001},{"topic":"${CODFW}","partition":0,"offset":-1}]`;

describe('SSE ids', () => {
  it('parse the upstream format and print it back byte for byte', () => {
    const entries = parseSseId(REAL_ID);
    expect(entries).toEqual([
      { topic: EQIAD, partition: 0, timestamp: 1746030241001 },
      { topic: CODFW, partition: 0, offset: -1 },
    ]);
    expect(formatSseId(entries ?? [])).toBe(REAL_ID);
  });

  it.each([
    '',
    'nope',
    '[]',
    '{"topic":"x"}',
    `[{"topic":"${EQIAD}","partition":0}]`,
    `[{"topic":1,"partition":0,"offset":1}]`,
  ])('reject %j', (text) => {
    expect(parseSseId(text)).toBeUndefined();
  });

  it.each([
    ['a timestamp outside the date range', `[{"topic":"${EQIAD}","partition":0,"timestamp":1e300}]`],
    ['a topic that is not a Kafka topic name', '[{"topic":"☃","partition":0,"timestamp":1}]'],
    ['a topic that would break the header', `[{"topic":"a\\r\\nb","partition":0,"timestamp":1}]`],
    ['a negative partition', `[{"topic":"${EQIAD}","partition":-1,"timestamp":1}]`],
    [
      'an id longer than 4 KiB',
      `[{"topic":"${EQIAD}","partition":0,"timestamp":1,"x":"${'x'.repeat(4096)}"}]`,
    ],
  ])('are no position with %s, and say why', (_, text) => {
    expect(parseSseId(text)).toBeUndefined();
    expect(sseIdProblem(text)).toEqual(expect.any(String));
    expect(sseIdProblem(REAL_ID)).toBeUndefined();
  });

  it('know the newest timestamp', () => {
    expect(latestTimestamp(parseSseId(REAL_ID) ?? [])).toBe(1746030241001);
    expect(latestTimestamp([{ topic: EQIAD, partition: 0, offset: 5 }])).toBeUndefined();
  });
});

describe('rewinding an SSE id for a resume', () => {
  const entries = [
    { topic: EQIAD, partition: 0, timestamp: 10_000 },
    { topic: CODFW, partition: 0, offset: -1 },
  ];

  it('moves timestamps back by the overlap and keeps offsets', () => {
    expect(rewindSseId(entries, 1000, 0)).toEqual([
      { topic: EQIAD, partition: 0, timestamp: 9000 },
      { topic: CODFW, partition: 0, offset: -1 },
    ]);
  });

  it('never goes back before what the dedupe window knows completely', () => {
    // The window is complete from 9500 on: resuming at 9499 re-delivers only events with id timestamp ≥ 9500.
    expect(rewindSseId(entries, 1000, 9500)[0]).toEqual({ topic: EQIAD, partition: 0, timestamp: 9499 });
  });

  it('never moves a timestamp forward', () => {
    expect(rewindSseId([{ topic: CODFW, partition: 0, timestamp: 5000 }], 1000, 9500)[0]?.timestamp).toBe(
      5000,
    );
  });
});

describe('the position of an event', () => {
  const id = (eqiad: number, codfw?: number) => [
    { topic: EQIAD, partition: 0, timestamp: eqiad },
    codfw === undefined
      ? { topic: CODFW, partition: 0, offset: -1 }
      : { topic: CODFW, partition: 0, timestamp: codfw },
  ];

  it('is the entry that advanced', () => {
    expect(eventPosition(id(100, 50), id(100, 60), undefined)).toEqual({ key: `${CODFW}/0`, ts: 60 });
    expect(eventPosition(id(100, 50), id(120, 50), undefined)).toEqual({ key: `${EQIAD}/0`, ts: 120 });
  });

  it('is the previous partition when an event shares the millisecond of the one before', () => {
    expect(eventPosition(id(100, 150), id(100, 150), `${EQIAD}/0`)).toEqual({ key: `${EQIAD}/0`, ts: 100 });
  });

  it('is the newest timestamp on a fresh connection', () => {
    expect(eventPosition(undefined, id(100, 150), undefined)).toEqual({ key: `${CODFW}/0`, ts: 150 });
  });
});
