import { parentPort } from 'node:worker_threads';
import { renderPdf } from './render-pdf.js';
import type { RenderRequest, RenderReply } from './render-thread.protocol.js';

/**
 * Entry point of a PDF rendering thread (see PdfRenderPool): pdfkit's layout work is synchronous and
 * can hold a thread for seconds, so it runs here instead of on the worker's event loop. One request at
 * a time; progress and the result go back as messages.
 */
const port = parentPort!;
port.on('message', (request: RenderRequest) => {
  const reply = (message: RenderReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  renderPdf(request.input, (pct) => reply({ kind: 'progress', pct }), new Date(request.createdAt)).then(
    ({ buffer, pages }) => {
      // Transfer rather than copy, unless the bytes share a pooled ArrayBuffer with other data.
      const own = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
      const bytes = own ? new Uint8Array(buffer.buffer, 0, buffer.byteLength) : new Uint8Array(buffer);
      reply({ kind: 'done', bytes, pages }, [bytes.buffer as ArrayBuffer]);
    },
    (err: Error) => reply({ kind: 'failed', name: err.name, message: err.message }),
  );
});
