/**
 * Pure: splits a batch into bulk-sized chunks, by count and by bytes, keeping order. A message larger
 * than `maxBytes` alone still forms a chunk of one.
 */
export function chunkMessages<T extends { readonly value: Buffer | null }>(
  messages: readonly T[],
  maxCount: number,
  maxBytes: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.byteLength ?? 0;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
