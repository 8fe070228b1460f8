/**
 * The `data` payloads of a Server-Sent Events body (the WHATWG event-stream format): lines may end in
 * LF, CR or CRLF and be split anywhere across chunks; an event's `data:` lines are joined with "\n" and
 * delivered at the blank line that ends it; comments and other fields are skipped.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const lineOf = (line: string): string | undefined => {
    if (line === '') {
      const event = data.length > 0 ? data.join('\n') : undefined;
      data = [];
      return event;
    }
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    return undefined;
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    // A trailing CR may be the first half of a CRLF that the next chunk completes: keep it back.
    const heldCr = buffer.endsWith('\r');
    const lines = (heldCr ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
    buffer = (lines.pop() ?? '') + (heldCr ? '\r' : '');
    for (const line of lines) {
      const event = lineOf(line);
      if (event !== undefined) yield event;
    }
  }
  buffer += decoder.decode();
  for (const line of [...buffer.split(/\r\n|\r|\n/), '']) {
    const event = lineOf(line);
    if (event !== undefined) yield event;
  }
}
