export interface HandledState {
  readonly offset: string;
  /** Indexed, skipped (canary) or dead-lettered: nothing more to do for this message. */
  readonly done: boolean;
}

/**
 * Pure: how many leading messages are handled. Offsets may only be resolved up to the last message
 * of this run: a later message that is done cannot be committed past an earlier one that is not.
 */
export function handledPrefixLength(states: readonly HandledState[]): number {
  let length = 0;
  while (length < states.length && states[length]?.done) length++;
  return length;
}

/** Pure: the offset to resolve (the last message of the handled run), or undefined when none is handled. */
export function resolvableOffset(states: readonly HandledState[]): string | undefined {
  const length = handledPrefixLength(states);
  return length === 0 ? undefined : states[length - 1]?.offset;
}
