export type {
  ApiError,
  DeadLetterEntry,
  DeadLetterList,
  EventFilters,
  EventSummary,
  EventsPage,
  HealthResponse,
  KeyCount,
  PipelineResponse,
  ReadyResponse,
  RedriveResponse,
  SchemaDrift,
  SchemaVersionDrift,
  SeriesPoint,
  StatsResponse,
  Totals,
  TrendingItem,
  TrendingResponse,
  UnknownField,
} from './api/wire.ts';
export { LIVE_EVENT } from './api/wire.ts';
export {
  boolean,
  ConfigError,
  type ConfigField,
  type ConfigOf,
  type ConfigProblem,
  type ConfigSchema,
  describeConfig,
  integer,
  list,
  loadConfig,
  oneOf,
  optionalString,
  port,
  string,
  url,
} from './config.ts';
export { CURSOR_TOPIC, DEFAULTS, GAPS_TOPIC, HEADERS, topicsFor } from './contract.ts';
export {
  DEAD_LETTER_STAGES,
  type DeadLetter,
  type DeadLetterMessage,
  DeadLetterReason,
  type DeadLetterStage,
  fromDeadLetterMessage,
  headerStrings,
  toDeadLetterMessage,
} from './dead-letter.ts';
export { documentSource } from './document/document-source.ts';
export {
  DRIFT_KINDS,
  DRIFT_MAPPING,
  DRIFT_SCHEMA_LABELS,
  type DriftDocument,
  type DriftKind,
  driftIndexName,
  driftIndexPattern,
  driftPrefix,
  driftTemplate,
  driftTemplateName,
} from './document/drift-index.ts';
export {
  EVENT_MAPPING,
  type IndexTemplateOptions,
  indexTemplate,
  indexTemplateName,
  TEMPLATE_VERSION,
  versionTemplate,
  versionTemplateName,
} from './document/index-template.ts';
export { isIpAddress } from './document/ip-address.ts';
export {
  byteDelta,
  type DerivedFields,
  derivedFields,
  type EventDocument,
  hasDerivedFieldName,
  isDerivedFieldName,
  type PipelineFields,
  type Provenance,
  titleText,
  toDocument,
  withDerivedFields,
} from './document/to-document.ts';
export {
  EDITOR_KINDS,
  type EditorKind,
  editorKind,
  isTemporaryAccount,
  TEMPORARY_ACCOUNT_PREFIX,
} from './editor/editor-kind.ts';
export { ErrorCode, isWikistreamError, WikistreamError, type WikistreamErrorOptions } from './errors.ts';
export {
  type Classification,
  classifyEvent,
  classifyValue,
  KNOWN_EVENT_FIELDS,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  RejectReason,
} from './event/classify-event.ts';
export { eventKey } from './event/event-key.ts';
export {
  isCanary,
  KNOWN_EVENT_TYPES,
  type KnownEventType,
  type LogParams,
  type RecentChangeEvent,
  type RecentChangeField,
  type RecentChangeMeta,
  type RevisionPair,
} from './event/recentchange.ts';
export { decodeGap, encodeGap, GapReason, type GapRecord } from './gap.ts';
export {
  dailyIndexName,
  type IndexDay,
  indexDayOf,
  indexPattern,
  type ParsedIndexName,
  parseDailyIndexName,
  readAlias,
  readAliasAdditions,
  versionedIndexName,
} from './index-name.ts';
export { type KafkaLogLevel, kafkaLogCreator, kafkaLogLevel } from './kafka-log.ts';
export { type Component, createLifecycle, type Lifecycle, type LifecycleOptions } from './lifecycle.ts';
export { createLogger, LOG_LEVELS, type Logger, type LoggerOptions } from './logger.ts';
export { type TopicNames, type TopicSpec, topicNames, topicSpecs } from './topics.ts';
export { PROJECT_VERSION, versionLine } from './version.ts';
