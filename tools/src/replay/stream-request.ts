import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLog } from './event-log.ts';
import type { Faults } from './faults.ts';
import type { Pacer } from './pacer.ts';
import { runSession } from './stream-session.ts';
import { isAcceptableUserAgent } from './user-agent.ts';
import { type Assignment, OK_COMMENT, type Problem, parseLastEventId, parseSince } from './wire-format.ts';

/** What the server remembers of each stream request (tests inspect it). */
export interface RequestRecord {
  readonly at: number;
  readonly client: string;
  readonly userAgent: string | undefined;
  readonly lastEventId: string | undefined;
  readonly since: string | undefined;
  status: number;
  /** First offset served (streams only). */
  start?: number;
  frames: number;
  closedAt?: number;
}

export interface StreamContext {
  readonly log: EventLog;
  readonly pacer: Pacer;
  readonly faults: Faults;
  readonly historyMs: number;
  readonly maxConnectionsPerClient: number;
  readonly topics: readonly string[];
  readonly requests: RequestRecord[];
  readonly openByClient: Map<string, number>;
  readonly counters: {
    framesSent: number;
    bytesSent: number;
    maxOpenPerClient: number;
    responses: Record<string, number>;
  };
}

const STREAM_NAMES = new Set(['recentchange', 'mediawiki.recentchange']);
const MAX_RECORDS = 10_000;

const RESPONSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
};

function answer(res: ServerResponse, record: RequestRecord, context: StreamContext, problem: Problem): void {
  record.status = problem.status;
  context.counters.responses[problem.status] = (context.counters.responses[problem.status] ?? 0) + 1;
  res.writeHead(problem.status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify(problem));
}

export function openStream(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  streams: string,
  context: StreamContext,
): void {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const client = header('x-client-ip') ?? req.socket.remoteAddress ?? 'unknown';
  const record: RequestRecord = {
    at: Date.now(),
    client,
    userAgent: header('user-agent'),
    lastEventId: header('last-event-id'),
    since: url.searchParams.get('since') ?? undefined,
    status: 0,
    frames: 0,
  };
  context.requests.push(record);
  if (context.requests.length > MAX_RECORDS) context.requests.shift();
  const redirect = context.faults.redirect();
  if (redirect) {
    record.status = redirect.status;
    context.counters.responses[redirect.status] = (context.counters.responses[redirect.status] ?? 0) + 1;
    res.writeHead(redirect.status, { location: `${redirect.location}${url.search}` }).end();
    return;
  }
  const admission = admissionProblem(record, header('api-user-agent'), streams, context);
  const position = admission ? undefined : resolveStart(record, context);
  const problem = admission ?? (position?.ok === false ? position.problem : limitProblem(client, context));
  if (problem || !position?.ok) {
    answer(res, record, context, problem as Problem);
    return;
  }
  stream(req, res, record, position.value, context);
}

function limitProblem(client: string, context: StreamContext): Problem | undefined {
  if ((context.openByClient.get(client) ?? 0) < context.maxConnectionsPerClient) return undefined;
  return {
    status: 429,
    type: 'too_many_requests',
    title: 'Too Many Concurrent Connections From Your Client IP',
    detail: `at most ${context.maxConnectionsPerClient} concurrent connections per client IP`,
  };
}

function admissionProblem(
  record: RequestRecord,
  apiUserAgent: string | undefined,
  streams: string,
  context: StreamContext,
): Problem | undefined {
  if (!isAcceptableUserAgent(record.userAgent, apiUserAgent)) {
    return {
      status: 403,
      type: 'forbidden',
      title: 'Forbidden',
      detail: 'Please comply with the User-Agent policy: https://meta.wikimedia.org/wiki/User-Agent_policy',
    };
  }
  const unknown = streams.split(',').filter((name) => !STREAM_NAMES.has(name));
  if (unknown.length > 0) {
    return {
      status: 400,
      type: 'not_found',
      title: 'Invalid streams',
      detail: `Invalid streams: ${unknown}`,
    };
  }
  const failing = context.faults.failure();
  if (failing !== undefined) {
    return { status: failing, type: 'replay_fault', title: 'Injected failure', detail: `status ${failing}` };
  }
  return undefined;
}

type Start = { assignments: Assignment[]; start: number };

/** Where this connection starts, with the real service's rules (EVENTSTREAMS.md §2). */
function resolveStart(
  record: RequestRecord,
  context: StreamContext,
): { ok: true; value: Start } | { ok: false; problem: Problem } {
  const { log } = context;
  let since: number | undefined;
  if (record.since !== undefined) {
    const parsed = parseSince(record.since);
    if (!parsed.ok) return parsed;
    since = parsed.value;
  }
  const horizon = Date.now() - context.historyMs;
  const fromTime = (ts: number) => (ts < horizon ? log.length : log.offsetForTimestamp(ts));
  if (record.lastEventId === undefined || record.lastEventId === '') {
    const assignments = context.topics.map((topic) => ({ topic, partition: 0, offset: -1 }));
    return { ok: true, value: { assignments, start: since === undefined ? log.length : fromTime(since) } };
  }
  const parsed = parseLastEventId(record.lastEventId, context.topics);
  if (!parsed.ok) return parsed;
  const own = parsed.value.find((a) => a.topic === log.topic && a.partition === 0);
  let start = Number.POSITIVE_INFINITY;
  if (own?.offset !== undefined) start = own.offset < 0 ? log.length : Math.min(own.offset, log.length);
  else if (own?.timestamp !== undefined) start = fromTime(own.timestamp);
  else if (own) start = since === undefined ? log.length : fromTime(since);
  return { ok: true, value: { assignments: parsed.value, start } };
}

function stream(
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  position: Start,
  context: StreamContext,
): void {
  const { client } = record;
  const open = (context.openByClient.get(client) ?? 0) + 1;
  context.openByClient.set(client, open);
  context.counters.maxOpenPerClient = Math.max(context.counters.maxOpenPerClient, open);
  context.counters.responses[200] = (context.counters.responses[200] ?? 0) + 1;
  record.status = 200;
  record.start = position.start;
  let closed = false;
  const closedPromise = new Promise<void>((resolve) => {
    res.once('close', () => {
      closed = true;
      record.closedAt = Date.now();
      const left = (context.openByClient.get(client) ?? 1) - 1;
      if (left > 0) context.openByClient.set(client, left);
      else context.openByClient.delete(client);
      resolve();
    });
  });
  req.socket.setNoDelay(true);
  res.writeHead(200, RESPONSE_HEADERS);
  res.write(OK_COMMENT);
  void runSession({
    log: context.log,
    pacer: context.pacer,
    faults: context.faults,
    res,
    openedAt: record.at,
    assignments: position.assignments,
    start: position.start,
    closed: closedPromise,
    isClosed: () => closed,
    onSent(frames, bytes) {
      record.frames += frames;
      context.counters.framesSent += frames;
      context.counters.bytesSent += bytes;
    },
  }).catch(() => res.destroy());
}
