/** A deliberately plain SSE reader for tests: reads raw frames off the wire, no library in between. */
export interface RawFrame {
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly data: string[];
}

export interface RawStream {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly comments: string[];
  readonly frames: RawFrame[];
  /** Set when the body ended with an error (a dropped connection). */
  readonly ended?: string | undefined;
}

export const GOOD_AGENT = 'wikistream-test/1.0 (https://github.com/wikistream/wikistream)';

export function parseFrames(text: string): { comments: string[]; frames: RawFrame[] } {
  const comments: string[] = [];
  const frames: RawFrame[] = [];
  for (const block of text.split('\n\n')) {
    if (block === '') continue;
    let event: string | undefined;
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1));
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (event !== undefined || data.length > 0) frames.push({ event, id, data });
  }
  return { comments, frames };
}

/** Reads until `frames` complete frames arrived (or the stream ends / the deadline passes). */
export async function readStream(
  url: string,
  options: { headers?: Record<string, string>; frames?: number; timeoutMs?: number } = {},
): Promise<RawStream> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
  const headers = { 'user-agent': GOOD_AGENT, ...options.headers };
  const response = await fetch(url, { headers, signal: controller.signal });
  let body = '';
  let ended: string | undefined;
  try {
    if (response.body) {
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        body += decoder.decode(chunk as Uint8Array, { stream: true });
        const complete = body.slice(0, body.lastIndexOf('\n\n') + 2);
        if (options.frames !== undefined && parseFrames(complete).frames.length >= options.frames) break;
      }
    }
  } catch (error) {
    // A dropped connection ends the body with an error; what arrived before it still counts.
    if (!controller.signal.aborted) ended = error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  const complete = body.slice(0, body.lastIndexOf('\n\n') + 2);
  const parsed = parseFrames(complete);
  const frames = options.frames === undefined ? parsed.frames : parsed.frames.slice(0, options.frames);
  return {
    status: response.status,
    headers: response.headers,
    body,
    comments: parsed.comments,
    frames,
    ended,
  };
}
