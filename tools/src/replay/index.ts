export { parseDuration, parseReplayArgs, type ReplayArgs, type ScheduledFault, USAGE } from './args.ts';
export { createEventLog, type EventLog, type EventLogOptions, type InjectionOptions } from './event-log.ts';
export { compileTemplate, renderTemplate } from './event-template.ts';
export type { Faults } from './faults.ts';
export { derivedUuid, EntryKind, EXPECTED_REASON } from './injected-events.ts';
export type { Pacing } from './pacer.ts';
export {
  DEFAULT_HISTORY_MS,
  type ReplayOptions,
  type ReplayServer,
  type ReplayStats,
  STREAM_TOPICS,
  startReplayServer,
} from './server.ts';
export { loadSource, parseSource, type SourceEvent } from './source-events.ts';
export type { RequestRecord } from './stream-request.ts';
export { isAcceptableUserAgent } from './user-agent.ts';
export { type Assignment, formatFrame, formatId, parseLastEventId, parseSince } from './wire-format.ts';
