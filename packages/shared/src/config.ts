import { ErrorCode, WikistreamError } from './errors.ts';

/**
 * A tiny schema-driven config loader. Each service declares its variables once; `loadConfig`
 * parses them all, reports every problem together and returns a frozen, typed object.
 */
export interface ConfigField<T> {
  readonly kind: string;
  readonly description: string;
  readonly default?: T;
  readonly required: boolean;
  parse(raw: string): T;
}

type Options<T> = { default?: T; description?: string; required?: boolean };

function field<T>(kind: string, parse: (raw: string) => T, options: Options<T>): ConfigField<T> {
  return {
    kind,
    description: options.description ?? '',
    required: options.required ?? options.default === undefined,
    parse,
    ...(options.default === undefined ? {} : { default: options.default }),
  };
}

export function string(options: Options<string> = {}): ConfigField<string> {
  return field(
    'string',
    (raw) => {
      if (raw.trim() === '') throw new Error('must not be empty');
      return raw;
    },
    options,
  );
}

export function optionalString(description = ''): ConfigField<string | undefined> {
  return { kind: 'string', description, required: false, parse: (raw) => (raw === '' ? undefined : raw) };
}

export function integer(options: Options<number> & { min?: number; max?: number } = {}): ConfigField<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return field(
    'integer',
    (raw) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer, got "${raw}"`);
      const value = Number(raw);
      if (value < min || value > max) throw new Error(`must be between ${min} and ${max}, got ${value}`);
      return value;
    },
    options,
  );
}

export function port(options: Options<number> = {}): ConfigField<number> {
  return integer({ ...options, min: 0, max: 65535 });
}

export function boolean(options: Options<boolean> = {}): ConfigField<boolean> {
  return field(
    'boolean',
    (raw) => {
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      throw new Error(`must be true or false, got "${raw}"`);
    },
    options,
  );
}

export function oneOf<const T extends string>(
  values: readonly T[],
  options: Options<T> = {},
): ConfigField<T> {
  return field(
    `one of ${values.join('|')}`,
    (raw) => {
      if (!(values as readonly string[]).includes(raw)) {
        throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    },
    options,
  );
}

/** A comma-separated list, e.g. `KAFKA_BROKERS=a:9092,b:9092`. */
export function list(options: Options<readonly string[]> = {}): ConfigField<readonly string[]> {
  return field(
    'list',
    (raw) => {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      if (items.length === 0) throw new Error('must list at least one value');
      return Object.freeze(items);
    },
    options,
  );
}

export function url(options: Options<string> = {}): ConfigField<string> {
  return field(
    'url',
    (raw) => {
      try {
        const parsed = new URL(raw);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
      } catch {
        throw new Error(`must be an http(s) URL, got "${raw}"`);
      }
      return raw;
    },
    options,
  );
}

export type ConfigSchema = Record<string, ConfigField<unknown>>;
export type ConfigOf<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never;
};

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends WikistreamError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n');
    super(ErrorCode.ConfigInvalid, `invalid configuration:\n${lines}`, { details: { problems } });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses `env` against `schema`; throws one ConfigError that lists every problem. */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOf<S> {
  const result: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [variable, spec] of Object.entries(schema)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') {
      if (spec.default !== undefined) result[variable] = freezeValue(spec.default);
      else if (spec.required) problems.push({ variable, message: 'is required' });
      else result[variable] = undefined;
      continue;
    }
    try {
      result[variable] = spec.parse(raw);
    } catch (error) {
      problems.push({ variable, message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result) as ConfigOf<S>;
}

function freezeValue<T>(value: T): T {
  return typeof value === 'object' && value !== null ? Object.freeze(value) : value;
}

/** The variables a schema knows, with their defaults, for `.env.example` and docker-compose checks. */
export function describeConfig(
  schema: ConfigSchema,
): { variable: string; required: boolean; description: string; default?: string }[] {
  return Object.entries(schema).map(([variable, spec]) => ({
    variable,
    required: spec.required && spec.default === undefined,
    description: spec.description,
    ...(spec.default === undefined ? {} : { default: formatDefault(spec.default) }),
  }));
}

function formatDefault(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
