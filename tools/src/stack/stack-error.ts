/** A problem with the local engines that the user can fix; the CLI prints only its message. */
export class StackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackError';
  }
}
