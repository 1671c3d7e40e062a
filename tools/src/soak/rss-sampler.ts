import type { ServiceProcess } from '../e2e/service-process.ts';

/** Resident memory of every service process, sampled at a fixed interval. */
export interface RssSample {
  /** Seconds since sampling started. */
  readonly t: number;
  /** Service label → MiB (absent when the process was not running). */
  readonly rss: Readonly<Record<string, number>>;
  /** V8 heap in use (live objects and not yet collected garbage), MiB, for services with /metrics. */
  readonly heapUsed?: Readonly<Record<string, number>>;
}

export interface RssSampler {
  readonly samples: readonly RssSample[];
  /** Takes one sample now. */
  sample(): RssSample;
  stop(): void;
}

/** The V8 heap in use from a service's /metrics (prom-client's default metric, any prefix). */
async function heapUsedMiB(service: ServiceProcess): Promise<number | undefined> {
  if (service.service === 'api' || !service.running) return undefined;
  const url = await service.metricsUrl(1000).catch(() => undefined);
  const text = url ? await (await fetch(`${url}/metrics`)).text().catch(() => '') : '';
  const line = text.split('\n').find((entry) => /^(\w+_)?nodejs_heap_size_used_bytes /.test(entry));
  return line === undefined ? undefined : Math.round((Number(line.split(' ')[1]) / 2 ** 20) * 10) / 10;
}

/** Samples RSS (and, with `withHeap`, the V8 heap in use) every `intervalMs`. */
export function startRssSampler(
  processes: () => readonly ServiceProcess[],
  intervalMs: number,
  onSample: (sample: RssSample) => void = () => undefined,
  withHeap = false,
): RssSampler {
  const started = Date.now();
  const samples: RssSample[] = [];
  const sample = () => {
    const rss: Record<string, number> = {};
    const running = processes();
    for (const service of running) {
      const mib = service.rss();
      if (mib !== undefined) rss[service.label] = Math.round(mib * 10) / 10;
    }
    const taken: { t: number; rss: Record<string, number>; heapUsed?: Record<string, number> } = {
      t: Math.round((Date.now() - started) / 100) / 10,
      rss,
    };
    samples.push(taken);
    if (!withHeap) onSample(taken);
    else
      void Promise.all(
        running.map(async (service) => [service.label, await heapUsedMiB(service)] as const),
      ).then((heaps) => {
        taken.heapUsed = Object.fromEntries(heaps.filter(([, mib]) => mib !== undefined)) as Record<
          string,
          number
        >;
        onSample(taken);
      });
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
