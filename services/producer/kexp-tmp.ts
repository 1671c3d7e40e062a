import kafkajs from 'kafkajs';

const { Kafka, CompressionTypes, CompressionCodecs, Partitioners, logLevel } = kafkajs;

import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gz = promisify(zlib.gzip);
const unz = promisify(zlib.unzip);
if (process.env.GZLEVEL)
  CompressionCodecs[CompressionTypes.GZIP] = () => ({
    compress: (enc: any) => gz(enc.buffer, { level: Number(process.env.GZLEVEL) }),
    decompress: (b: Buffer) => unz(b),
  });

import { fixtureLines } from '/work/main/tools/src/testing/fixtures.ts';

const lines = fixtureLines().map((l) => l.text);
const kafka = new Kafka({ clientId: 'kexp', brokers: ['localhost:9092'], logLevel: logLevel.NOTHING });
const topic = `kexp-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [
    { topic, numPartitions: 6 },
    { topic: topic + '.c', numPartitions: 1 },
  ],
  waitForLeaders: true,
});
const comp = process.argv[2] === 'none' ? CompressionTypes.None : CompressionTypes.GZIP;
const size = Number(process.argv[3] ?? 2000);
const retryInit = Number(process.argv[4] ?? 25);
const noHeaders = process.argv[5] === 'nohdr';
const cpu0 = process.cpuUsage();
const p = kafka.producer({
  transactionalId: topic,
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { retries: 8, initialRetryTime: retryInit, maxRetryTime: 3000 },
});
await p.connect();
let sendT = 0,
  commitT = 0,
  beginT = 0,
  n = 0;
const start = performance.now();
const ver = Buffer.from('0.1.0');
for (let b = 0; b < 20; b++) {
  const messages = [];
  for (let i = 0; i < size; i++) {
    const t = lines[(b * size + i) % lines.length]!;
    const e = JSON.parse(t);
    messages.push({
      key: `${e.wiki}:${e.title}`,
      value: Buffer.from(t),
      headers: noHeaders
        ? undefined
        : {
            'sse-id':
              '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1795996146987},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]',
            'received-at': String(Date.now()),
            'producer-version': ver,
          },
    });
  }
  const t0 = performance.now();
  const tx = await p.transaction();
  const t1 = performance.now();
  await tx.sendBatch({
    topicMessages: [
      { topic, messages },
      { topic: topic + '.c', messages: [{ key: 'k', value: 'x'.repeat(2000) }] },
    ],
    compression: comp,
    acks: -1,
  });
  const t2 = performance.now();
  await tx.commit();
  const t3 = performance.now();
  beginT += t1 - t0;
  sendT += t2 - t1;
  commitT += t3 - t2;
  n += size;
}
const el = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log('cpu s', ((cpu.user + cpu.system) / 1e6).toFixed(1), 'wall', el.toFixed(1));
console.log(
  process.argv[2],
  'size',
  size,
  'rate',
  Math.round(n / el),
  'per txn ms: begin',
  (beginT / 20).toFixed(1),
  'send',
  (sendT / 20).toFixed(1),
  'commit',
  (commitT / 20).toFixed(1),
);
await p.disconnect();
await admin.deleteTopics({ topics: [topic, topic + '.c'] });
await admin.disconnect();
