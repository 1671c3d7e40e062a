import { createConnection } from 'node:net';
import { StackError } from './stack-error.ts';

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Refuses to start an engine on a port someone else already holds. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await portOpen(port)) {
    throw new StackError(
      `port ${port} is already in use by a process this tool did not start; stop it, or give ${what} another port`,
    );
  }
}
