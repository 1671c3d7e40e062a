import type { ServiceProcess } from '../e2e/service-process.ts';

/** Resident memory of every service process, sampled at a fixed interval. */
export interface RssSample {
  /** Seconds since sampling started. */
  readonly t: number;
  /** Service label → MiB (absent when the process was not running). */
  readonly rss: Readonly<Record<string, number>>;
}

export interface RssSampler {
  readonly samples: readonly RssSample[];
  /** Takes one sample now. */
  sample(): RssSample;
  stop(): void;
}

export function startRssSampler(
  processes: () => readonly ServiceProcess[],
  intervalMs: number,
  onSample: (sample: RssSample) => void = () => undefined,
): RssSampler {
  const started = Date.now();
  const samples: RssSample[] = [];
  const sample = () => {
    const rss: Record<string, number> = {};
    for (const service of processes()) {
      const mib = service.rss();
      if (mib !== undefined) rss[service.label] = Math.round(mib * 10) / 10;
    }
    const taken = { t: Math.round((Date.now() - started) / 100) / 10, rss };
    samples.push(taken);
    onSample(taken);
    return taken;
  };
  const timer = setInterval(sample, intervalMs);
  return { samples, sample, stop: () => clearInterval(timer) };
}

/** Peak and mean RSS per service over the samples. */
export function rssSummary(samples: readonly RssSample[]): Record<string, { peak: number; mean: number }> {
  const series = new Map<string, number[]>();
  for (const sample of samples)
    for (const [label, mib] of Object.entries(sample.rss))
      series.set(label, [...(series.get(label) ?? []), mib]);
  return Object.fromEntries(
    [...series].map(([label, values]) => [
      label,
      {
        peak: Math.round(Math.max(...values) * 10) / 10,
        mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10,
      },
    ]),
  );
}
