// The indexer's seam for the shared builder (tests replace it here): `pnpm reindex` uses the same one.
export { documentSource } from '@wikistream/shared';
