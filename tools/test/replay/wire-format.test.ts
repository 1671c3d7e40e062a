import { describe, expect, it } from 'vitest';
import { isAcceptableUserAgent } from '../../src/replay/user-agent.ts';
import { formatFrame, formatId, parseLastEventId, parseSince } from '../../src/replay/wire-format.ts';

const TOPICS = ['eqiad.mediawiki.recentchange', 'codfw.mediawiki.recentchange'];

describe('the EventStreams wire format', () => {
  it('writes event, id and one data line per message, then a blank line', () => {
    expect(formatFrame('message', '[1]', ['{"a":1}'])).toBe('event: message\nid: [1]\ndata: {"a":1}\n\n');
  });

  it('writes the id as one entry per topic-partition, timestamps for seen ones and offsets for the rest', () => {
    const id = formatId([
      { topic: TOPICS[0] as string, partition: 0, timestamp: 1746030241001 },
      { topic: TOPICS[1] as string, partition: 0, offset: -1 },
    ]);
    expect(id).toBe(
      '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1746030241001},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]',
    );
  });
});

describe('Last-Event-ID parsing', () => {
  it('accepts the ids the service itself sends', () => {
    const header =
      '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1746030241001},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]';
    const parsed = parseLastEventId(header, TOPICS);
    expect(parsed).toEqual({
      ok: true,
      value: [
        { topic: TOPICS[0], partition: 0, timestamp: 1746030241001 },
        { topic: TOPICS[1], partition: 0, offset: -1 },
      ],
    });
  });

  it('prefers the offset when an entry has both an offset and a timestamp', () => {
    const parsed = parseLastEventId(
      `[{"topic":"${TOPICS[0]}","partition":0,"offset":5,"timestamp":9}]`,
      TOPICS,
    );
    expect(parsed.ok && parsed.value[0]).toEqual({ topic: TOPICS[0], partition: 0, offset: 5 });
  });

  it.each([
    ['not JSON', 'nope'],
    ['not an array', '{"topic":"eqiad.mediawiki.recentchange"}'],
    ['a string timestamp', `[{"topic":"${TOPICS[0]}","partition":0,"timestamp":"1746030241001"}]`],
    ['no position', `[{"topic":"${TOPICS[0]}","partition":0}]`],
    ['a fractional partition', `[{"topic":"${TOPICS[0]}","partition":0.5,"offset":1}]`],
  ])('answers 400 for %s', (_, header) => {
    const parsed = parseLastEventId(header, TOPICS);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem.status).toBe(400);
  });

  it('answers 404 for a topic the stream does not have', () => {
    const parsed = parseLastEventId(
      '[{"topic":"eqiad.mediawiki.page-create","partition":0,"offset":1}]',
      TOPICS,
    );
    expect(!parsed.ok && parsed.problem.status).toBe(404);
  });
});

describe('since', () => {
  it('reads integer milliseconds as they are and other strings with Date.parse', () => {
    expect(parseSince('1707238680000')).toEqual({ ok: true, value: 1707238680000 });
    expect(parseSince('2024-02-06T16:58:00Z')).toEqual({
      ok: true,
      value: Date.parse('2024-02-06T16:58:00Z'),
    });
  });

  it('answers 400 invalid_timestamp for anything else', () => {
    const parsed = parseSince('yesterday-ish');
    expect(!parsed.ok && parsed.problem).toMatchObject({ status: 400, type: 'invalid_timestamp' });
  });
});

describe('the User-Agent rule', () => {
  it.each([undefined, '', 'node', 'python-requests/2.31.0', 'curl/8.5.0', 'okhttp/4.12.0', 'myscript/1.0'])(
    'refuses %j',
    (agent) => {
      expect(isAcceptableUserAgent(agent)).toBe(false);
    },
  );

  it.each([
    'wikistream/0.1.0 (https://github.com/wikistream/wikistream)',
    'MyBot/2.0 (ops@example.org) python-requests/2.31',
  ])('accepts the descriptive %j', (agent) => {
    expect(isAcceptableUserAgent(agent)).toBe(true);
  });

  it('accepts a generic agent when Api-User-Agent is descriptive, as browsers must do', () => {
    expect(isAcceptableUserAgent('node', 'dashboard/1 (https://example.org)')).toBe(true);
  });
});
