import { describe, expect, it } from 'vitest';
import { RateMeter } from '../src/live/rate-meter.ts';

describe('rate meter', () => {
  it('averages arrivals over the window', () => {
    const meter = new RateMeter(10, 0);
    for (let ms = 0; ms < 10_000; ms += 250) meter.record(ms);
    expect(meter.perSecond(9_999)).toBe(4);
  });

  it('forgets seconds that slid out of the window', () => {
    const meter = new RateMeter(10, 0);
    meter.record(500, 30);
    expect(meter.perSecond(5_000)).toBe(3);
    expect(meter.perSecond(10_500)).toBe(0);
    meter.record(11_000, 5);
    expect(meter.perSecond(11_200)).toBe(0.5);
  });

  it('survives a long pause without growing', () => {
    const meter = new RateMeter(5, 0);
    meter.record(0, 10);
    expect(meter.perSecond(3_600_000)).toBe(0);
    meter.record(3_600_000, 5);
    expect(meter.perSecond(3_600_100)).toBe(1);
  });
});
