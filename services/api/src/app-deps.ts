import type { Logger } from '@wikistream/shared';
import type { ApiConfig } from './config.ts';
import type { SearchPort } from './elasticsearch/search-types.ts';
import type { KafkaPort } from './kafka/kafka-types.ts';
import type { FeedState } from './kafka/live-feed.ts';
import type { LiveHub } from './live/live-hub.ts';
import type { DeadLetterLog } from './pipeline/dead-letter-log.ts';
import type { OffsetSampler } from './pipeline/offset-sampler.ts';
import type { Coverage } from './query/stats-query.ts';

/** Everything buildApp needs, built by main.ts (or by a test). */
export interface AppDeps {
  readonly config: ApiConfig;
  readonly logger: Logger;
  readonly search: SearchPort;
  readonly kafka: KafkaPort;
  readonly hub: LiveHub;
  readonly feed: { state(): FeedState };
  readonly deadLetters: DeadLetterLog;
  readonly sampler: OffsetSampler;
  readonly clock: () => number;
  /** Per-minute rollups, when they run: the minutes they cover. */
  readonly rollups?: { coverage(): Coverage | undefined } | undefined;
  readonly version: string;
}
