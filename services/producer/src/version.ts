import { PROJECT_VERSION } from '@wikistream/shared';

/** The producer's version (the project's), written into every record's header. */
export const PRODUCER_VERSION: string = PROJECT_VERSION;
