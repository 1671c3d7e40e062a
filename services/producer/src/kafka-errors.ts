import { ErrorCode, WikistreamError } from '@wikistream/shared';

/** How Kafka failures surface from the Kafka port: retriable, so the producer starts again from its cursor. */
export const unavailable = (message: string, cause: unknown) =>
  new WikistreamError(ErrorCode.KafkaUnavailable, message, { retriable: true, cause });

/** MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE anywhere in the cause chain. */
export function tooLarge(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { type, message, cause, originalError } = current as {
      type?: string;
      message?: string;
      cause?: unknown;
      originalError?: unknown;
    };
    if (/TOO_LARGE/.test(`${type ?? ''} ${message ?? ''}`) || /too large/i.test(message ?? '')) return true;
    current = cause ?? originalError;
  }
  return false;
}
