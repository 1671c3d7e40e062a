import { type IncomingMessage, request } from 'node:http';

export interface SseMessage {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

export interface SseClient {
  readonly response: IncomingMessage;
  readonly messages: SseMessage[];
  readonly comments: string[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * A minimal EventSource for tests: frames are parsed as they arrive; reading can be paused.
 * `raw` leaves the body unread, for a refusal's JSON.
 */
export function openSse(url: string, headers: Record<string, string> = {}, raw = false): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
      });
      const parse = (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let id: string | undefined;
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) messages.push({ event, id, data: data.join('\n') });
          cut = buffer.indexOf('\n\n');
        }
      };
      if (!raw) response.on('data', parse);
      resolve({
        response,
        messages,
        comments,
        ended,
        pause: () => response.pause(),
        resume: () => response.resume(),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
