import { sseData } from './sse-events.util.js';

async function collect(chunks: string[]): Promise<string[]> {
  const body = (async function* () {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  })();
  const out: string[] = [];
  for await (const data of sseData(body)) out.push(data);
  return out;
}

describe('sseData', () => {
  it('yields each event once its blank line arrives, across arbitrary chunk boundaries', async () => {
    const text = 'data: {"a":1}\n\n: comment\nevent: x\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    const whole = await collect([text]);
    expect(whole).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await collect([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line ends, joins multi-line data, and flushes an unterminated last event', async () => {
    expect(await collect(['data: one\r\ndata: two\r\n\r\ndata:three\r\rdata: tail'])).toEqual([
      'one\ntwo',
      'three',
      'tail',
    ]);
    const crlf = 'data: a\r\n\r\ndata: b\r\n\r\n';
    for (let cut = 1; cut < crlf.length; cut++) {
      expect(await collect([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(['a', 'b']);
    }
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: Zürich ✓\n\n');
    const body = (async function* () {
      for (const b of bytes) yield Uint8Array.of(b);
    })();
    const out: string[] = [];
    for await (const data of sseData(body)) out.push(data);
    expect(out).toEqual(['Zürich ✓']);
  });
});
