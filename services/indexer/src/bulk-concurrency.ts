/**
 * Pure: how many bulks one member of the group keeps in flight. `BULK_CONCURRENCY` is what the whole
 * group gives Elasticsearch; each member takes the share of its partitions, rounded up, and at least
 * one. Scaling out adds the members' CPU for reading and parsing, not requests for Elasticsearch to
 * queue: with the full number each, three members kept three times as many bulks waiting, and a
 * node short of CPU spent more of it per document.
 */
export function bulkConcurrency(groupLimit: number, owned: number, partitions: number): number {
  if (!(partitions > 0) || owned >= partitions) return groupLimit;
  return Math.max(1, Math.ceil((groupLimit * owned) / partitions));
}
