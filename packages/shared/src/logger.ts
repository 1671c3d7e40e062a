import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggerOptions {
  name: string;
  level?: LevelWithSilent;
  /** Where JSON lines go; defaults to stdout. Tests inject a stream to capture logs. */
  destination?: DestinationStream;
  /** Pretty, colourised lines; defaults to true only when stdout is a terminal. */
  pretty?: boolean;
}

/** JSON lines to stdout (pretty on a terminal), errors under `err`, one base logger per process. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    name: options.name,
    level: options.level ?? 'info',
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}
