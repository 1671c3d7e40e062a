/**
 * Cuts every SSE frame (its lines up to the blank line that ends it) to `maxBytes` before the
 * parser sees it. A frame larger than the parser's buffer makes `eventsource` fail the connection,
 * and the upstream sends the same frame again on every resume: the intake would stop there for
 * good. Past the limit, every byte of the frame but its line ends is dropped, so the parser hands
 * on the frame cut at the next line end (the producer dead-letters it as too large) and reads the
 * frames after it as they are. `onCut` is told each time. EventStreams frames are a few KB.
 */
const LF = 0x0a;
const CR = 0x0d;

export function createFrameLimiter(maxBytes: number, onCut: () => void): (chunk: Uint8Array) => Uint8Array {
  let frameBytes = 0;
  /** All bytes of the current line so far, kept or dropped; 0 at a line end means a blank line. */
  let lineBytes = 0;
  let cutting = false;
  /** The previous byte was a CR: a LF right after it ends the same line. */
  let afterCr = false;

  return (chunk) => {
    const kept: Uint8Array[] = [];
    let keptFrom = 0;
    let dropped = false;
    let nextLf = chunk.indexOf(LF);
    let nextCr = chunk.indexOf(CR);
    let pos = 0;
    while (pos < chunk.length) {
      if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = chunk.indexOf(CR, pos);
      const end = Math.min(nextLf === -1 ? chunk.length : nextLf, nextCr === -1 ? chunk.length : nextCr);
      const content = end - pos;
      if (content > 0) {
        afterCr = false;
        lineBytes += content;
        if (cutting) {
          kept.push(chunk.subarray(keptFrom, pos));
          keptFrom = end;
          dropped = true;
        } else if (frameBytes + content > maxBytes) {
          kept.push(chunk.subarray(keptFrom, pos + (maxBytes - frameBytes)));
          keptFrom = end;
          dropped = true;
          cutting = true;
          frameBytes = maxBytes;
          onCut();
        } else frameBytes += content;
      }
      if (end === chunk.length) break;
      if (chunk[end] === LF && afterCr) afterCr = false;
      else {
        afterCr = chunk[end] === CR;
        if (lineBytes === 0) {
          frameBytes = 0;
          cutting = false;
        }
        lineBytes = 0;
      }
      pos = end + 1;
    }
    if (!dropped) return chunk;
    kept.push(chunk.subarray(keptFrom));
    return Buffer.concat(kept);
  };
}
