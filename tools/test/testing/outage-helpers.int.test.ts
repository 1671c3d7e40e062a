import { describe, expect, inject, it } from 'vitest';
import { startPrivateKafka, startTcpProxy, testKafka } from '../../src/testing/index.ts';

const elasticsearchUrl = new URL(inject('elasticsearchUrl'));

async function health(url: string): Promise<number | string> {
  try {
    return (await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2000) })).status;
  } catch (error) {
    return (error as Error).name;
  }
}

describe('outage helpers', () => {
  it('cuts and restores a proxied Elasticsearch', async () => {
    const proxy = await startTcpProxy({
      host: elasticsearchUrl.hostname,
      port: Number(elasticsearchUrl.port),
    });
    expect(await health(proxy.url)).toBe(200);
    await proxy.cut();
    expect(await health(proxy.url)).not.toBe(200);
    await proxy.restore();
    expect(await health(proxy.url)).toBe(200);
  });

  it('stops and restarts a private Kafka broker, keeping its data', async () => {
    const broker = await startPrivateKafka();
    const admin = testKafka(broker.url).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await broker.stop();
    await broker.start();
    const again = testKafka(broker.url).admin();
    await again.connect();
    expect(await again.listTopics()).toContain('kept');
    await again.disconnect();
  }, 120_000);
});
