import { readAlias } from '../index-name.ts';

/**
 * The index template for the daily indices. Explicit mapping, `dynamic: false`: unknown fields
 * stay in `_source` without being indexed, so no event can cause a mapping conflict.
 * Only core field types and the standard analyzer: the test distribution has nothing else.
 * Bump TEMPLATE_VERSION whenever the mapping (or the template's shape) changes.
 * Version 4: a new daily index joins the read alias; versions of a day have their own template.
 */
export const TEMPLATE_VERSION = 4;

export interface IndexTemplateOptions {
  readonly prefix: string;
  readonly shards?: number;
  readonly replicas?: number;
  readonly refreshInterval?: string;
}

const keyword = { type: 'keyword' } as const;
const longKeyword = { type: 'keyword', ignore_above: 1024 } as const;
const bool = { type: 'boolean' } as const;

export const EVENT_MAPPING = {
  dynamic: false,
  properties: {
    meta: {
      properties: {
        id: keyword,
        dt: { type: 'date' },
        domain: keyword,
        stream: keyword,
        uri: longKeyword,
        request_id: keyword,
        topic: keyword,
        partition: { type: 'integer' },
        offset: { type: 'long' },
      },
    },
    id: { type: 'long' },
    type: keyword,
    namespace: { type: 'integer' },
    title: { ...longKeyword, fields: { text: { type: 'text' } } },
    title_text: { type: 'text' },
    comment: { type: 'text' },
    parsedcomment: { type: 'object', enabled: false },
    timestamp: { type: 'date', format: 'epoch_second' },
    user: longKeyword,
    bot: bool,
    minor: bool,
    patrolled: bool,
    wiki: keyword,
    server_name: keyword,
    server_url: keyword,
    server_script_path: keyword,
    notify_url: { type: 'keyword', index: false, doc_values: false },
    title_url: { type: 'keyword', index: false, doc_values: false },
    length: { properties: { old: { type: 'integer' }, new: { type: 'integer' } } },
    revision: { properties: { old: { type: 'long' }, new: { type: 'long' } } },
    log_id: { type: 'long' },
    log_type: keyword,
    log_action: keyword,
    // An object, an array or a string in real events: never parsed, only kept in _source.
    log_params: { type: 'object', enabled: false },
    log_action_comment: { type: 'text', index: false },
    byte_delta: { type: 'integer' },
    editor_kind: keyword,
    is_anonymous: bool,
    pipeline: {
      properties: {
        kafka_partition: { type: 'integer' },
        kafka_offset: { type: 'long' },
        sse_id: { type: 'keyword', index: false, doc_values: false },
        received_at: { type: 'date' },
        indexed_at: { type: 'date' },
        latency_ms: { type: 'long' },
      },
    },
  },
} as const;

export function indexTemplateName(prefix: string): string {
  return `${prefix}-template`;
}

/** The template of the versions `pnpm reindex` builds: `<prefix>-versions-template`. */
export function versionTemplateName(prefix: string): string {
  return `${prefix}-versions-template`;
}

function templateSettings(options: IndexTemplateOptions) {
  return {
    number_of_shards: options.shards ?? 1,
    number_of_replicas: options.replicas ?? 0,
    refresh_interval: options.refreshInterval ?? '1s',
  };
}

/**
 * The body of `PUT _index_template/<name>`: every daily index `<prefix>-YYYY.MM.DD` the indexer
 * creates joins the read alias as it is created, so the api reads it from its first document.
 */
export function indexTemplate(options: IndexTemplateOptions) {
  return {
    index_patterns: [`${options.prefix}-*`],
    priority: 100,
    version: TEMPLATE_VERSION,
    _meta: { managed_by: 'wikistream', template_version: TEMPLATE_VERSION },
    template: {
      settings: templateSettings(options),
      mappings: EVENT_MAPPING,
      aliases: { [readAlias(options.prefix)]: {} },
    },
  };
}

/**
 * The same settings and mapping for the versions of a day (`<prefix>-YYYY.MM.DD-vN`), without the
 * read alias: a version being built must not be read. Its higher priority wins over the daily
 * template, whose pattern also matches these names.
 */
export function versionTemplate(options: IndexTemplateOptions) {
  return {
    index_patterns: [`${options.prefix}-*-v*`],
    priority: 101,
    version: TEMPLATE_VERSION,
    _meta: { managed_by: 'wikistream', template_version: TEMPLATE_VERSION },
    template: { settings: templateSettings(options), mappings: EVENT_MAPPING },
  };
}
