/**
 * Live streams held per client address (request.ip: the socket's address, or what a trusted proxy
 * saw), so that one address cannot take every live slot.
 */
export interface AddressSlots {
  /** A slot and its release (idempotent), or undefined when the address holds `perAddress` already. */
  take(address: string): (() => void) | undefined;
  held(address: string): number;
}

export function createAddressSlots(perAddress: number): AddressSlots {
  const held = new Map<string, number>();
  return {
    take(address) {
      const count = held.get(address) ?? 0;
      if (count >= perAddress) return undefined;
      held.set(address, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(address) ?? 1) - 1;
        if (left > 0) held.set(address, left);
        else held.delete(address);
      };
    },
    held: (address) => held.get(address) ?? 0,
  };
}
