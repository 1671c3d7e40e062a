import { describe, expect, it } from 'vitest';
import { classifyBulkItems, statusOutcome } from '../src/bulk-response.ts';

describe('statusOutcome', () => {
  it('accepts 2xx, retries 429 and 5xx, rejects other 4xx', () => {
    expect([200, 201].map(statusOutcome)).toEqual(['ok', 'ok']);
    expect([429, 500, 502, 503, 504].map(statusOutcome)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect([400, 403, 404, 409, 413].map(statusOutcome)).toEqual([
      'reject',
      'reject',
      'reject',
      'reject',
      'reject',
    ]);
  });

  it('retries an item without a status rather than assuming it was indexed', () => {
    expect(statusOutcome(undefined)).toBe('retry');
  });
});

describe('classifyBulkItems', () => {
  it('gives one outcome per request item, in order, with the error detail', () => {
    const outcomes = classifyBulkItems(
      [
        { index: { status: 201 } },
        { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } },
        {
          index: {
            status: 400,
            error: {
              type: 'document_parsing_exception',
              reason: 'failed to parse field [namespace]',
              caused_by: { type: 'input_coercion_exception' },
            },
          },
        },
        { index: { status: 200 } },
      ],
      4,
    );
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['ok', 'retry', 'reject', 'ok']);
    expect(outcomes[1]).toMatchObject({ status: 429, detail: 'es_rejected_execution_exception: queue full' });
    expect(outcomes[2]).toMatchObject({ status: 400 });
    expect(outcomes[2]?.kind === 'reject' && outcomes[2].detail).toContain('input_coercion_exception');
  });

  it('retries the items a short response does not cover', () => {
    const outcomes = classifyBulkItems([{ index: { status: 201 } }], 3);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['ok', 'retry', 'retry']);
    expect(classifyBulkItems(undefined, 2).map((outcome) => outcome.kind)).toEqual(['retry', 'retry']);
  });
});
