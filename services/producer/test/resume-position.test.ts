import { describe, expect, it } from 'vitest';
import { createResumePosition } from '../src/resume-position.ts';
import { parseSseId } from '../src/sse-id.ts';

const EQIAD = 'eqiad.mediawiki.recentchange';
const id = (ts: number) =>
  `[{"topic":"${EQIAD}","partition":0,"timestamp":${ts}},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]`;
const resumeAt = (text: string | undefined) => parseSseId(text)?.[0]?.timestamp;

describe('the resume position', () => {
  it('resumes the overlap before the newest event after a connection that brought something new', () => {
    const position = createResumePosition(id(10_000));
    position.connected(position.nextId(1000, 0));
    position.advance(id(10_500));
    expect(resumeAt(position.nextId(1000, 0))).toBe(9500);
  });

  it('resumes at the last millisecond when the previous connection only re-sent known events, so it keeps progressing', () => {
    const position = createResumePosition(id(10_000));
    position.connected(position.nextId(1000, 0));
    // Cut inside the overlap: everything it sent was older than what the producer had.
    position.advance(id(9200));
    position.advance(id(9600));
    expect(resumeAt(position.nextId(1000, 0))).toBe(9999);
    expect(position.newest).toBe(10_000);
  });

  it('keeps the full overlap after a connection that failed before sending anything', () => {
    const position = createResumePosition(id(10_000));
    position.connected(position.nextId(1000, 0));
    expect(resumeAt(position.nextId(1000, 0))).toBe(9000);
  });

  it('keeps the id of the last frame as the cursor even when it is behind the frontier', () => {
    const position = createResumePosition(id(10_000));
    position.connected(position.nextId(1000, 0));
    position.advance(id(9500));
    expect(position.lastId).toBe(id(9500));
  });

  it('has no id to send before it saw any', () => {
    expect(createResumePosition(undefined).nextId(1000, 0)).toBeUndefined();
    expect(createResumePosition('garbage').nextId(1000, 0)).toBeUndefined();
  });
});
