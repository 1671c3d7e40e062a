import { describe, expect, it } from 'vitest';
import { replayProducerId } from '../../src/run/replay-producer-id.ts';

describe('replayProducerId', () => {
  it("gives every replay run a cursor of its own, never the live feed's", () => {
    const first = replayProducerId({}, 1_800_000_000_000);
    const second = replayProducerId({}, 1_800_000_060_000);
    expect(first).toMatch(/^wikistream-replay-/);
    expect(second).not.toBe(first);
    expect(first).not.toBe('wikistream-producer');
  });

  it('uses an explicit PRODUCER_ID as given', () => {
    expect(replayProducerId({ PRODUCER_ID: 'demo' }, 1)).toBe('demo');
  });
});
