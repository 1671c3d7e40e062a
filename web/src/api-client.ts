import type { ApiError } from '@wikistream/shared';

/** A failed API call, with the API's error code when it sent one. */
export class ApiRequestError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;

  constructor(message: string, code: string, status: number, field?: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body: unknown = await response.json().catch(() => null);
  if (isApiError(body)) return new ApiRequestError(body.message, body.code, response.status, body.field);
  return new ApiRequestError(`The API answered ${response.status}`, 'HTTP_ERROR', response.status);
}

/** GET a JSON route; throws ApiRequestError for error answers and network failures. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal: signal ?? null, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError('The API cannot be reached', 'NETWORK_ERROR', 0);
  }
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    return error.field ? `${error.message} (${error.field})` : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong';
}
