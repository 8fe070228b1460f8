import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../../config/load-config.js';
import { PermanentTaskError } from '../../tasks/task-processor.host.js';
import type { ProgressReporter } from '../shared/progress-reporter.js';
import { compiledSibling } from '../../runtime/compiled-sibling.util.js';
import type { PdfDocumentInput } from './pdf-document.dto.js';
import type { RenderedPdf } from './render-pdf.js';
import type { RenderReply, RenderRequest } from './render-thread.protocol.js';

export type PdfRenderSettings = AppConfig['adapters']['pdf'];

const WORKER_FILE = compiledSibling(import.meta.url, './render-pdf.worker.js');

interface RenderOptions {
  progress?: ProgressReporter;
  signal?: AbortSignal;
}

/**
 * Renders PDFs in worker threads so a long document never blocks the event loop that serves HTTP,
 * renews job locks and runs other jobs. Up to `threads` threads, started on demand and kept for reuse;
 * more renders wait for one. A thread is the sandbox: its heap is capped (PDF_RENDER_MAX_MEMORY_MB), and
 * a render that overruns PDF_RENDER_TIMEOUT_MS or is cancelled has its thread terminated.
 */
export class PdfRenderPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly all = new Set<Worker>();
  private running = 0;
  private closed = false;

  constructor(private readonly settings: PdfRenderSettings) {}

  async render(input: PdfDocumentInput, createdAt: Date, options: RenderOptions = {}): Promise<RenderedPdf> {
    if (this.running >= this.settings.threads) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    let thread: Worker | undefined;
    try {
      thread = this.idle.pop() ?? this.spawn();
      thread.ref();
      const result = await this.run(thread, { input, createdAt: createdAt.getTime() }, options);
      thread.unref();
      this.idle.push(thread);
      thread = undefined;
      return result;
    } finally {
      // A thread that failed, timed out or was cancelled may be mid-render: it is never reused.
      if (thread) void this.discard(thread);
      this.running--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.all].map((t) => this.discard(t)));
  }

  private spawn(): Worker {
    if (this.closed) throw new Error('the PDF renderer is shut down');
    const thread = new Worker(WORKER_FILE, {
      resourceLimits: { maxOldGenerationSizeMb: this.settings.maxMemoryMb },
    });
    this.all.add(thread);
    return thread;
  }

  private discard(thread: Worker): Promise<number> {
    this.all.delete(thread);
    const i = this.idle.indexOf(thread);
    if (i >= 0) this.idle.splice(i, 1);
    return thread.terminate();
  }

  private run(thread: Worker, request: RenderRequest, options: RenderOptions): Promise<RenderedPdf> {
    return new Promise<RenderedPdf>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`rendering took longer than ${this.settings.timeoutMs} ms; stopped`)),
        this.settings.timeoutMs,
      );
      const onAbort = () => finish(new Error('rendering aborted'));
      const onMessage = (reply: RenderReply) => {
        if (reply.kind === 'progress')
          void Promise.resolve(options.progress?.(reply.pct)).catch(() => undefined);
        else if (reply.kind === 'done')
          finish(undefined, { buffer: Buffer.from(reply.bytes), pages: reply.pages });
        else finish(Object.assign(new Error(reply.message), { name: reply.name }));
      };
      const onError = (err: Error & { code?: string }) =>
        finish(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new PermanentTaskError(`the document needs more than ${this.settings.maxMemoryMb} MB to render`)
            : err,
        );
      const onExit = (code: number) => finish(new Error(`the PDF rendering thread exited (${code})`));
      const finish = (err?: Error, result?: RenderedPdf) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        thread.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (err) reject(err);
        else resolve(result!);
      };
      thread.on('message', onMessage).on('error', onError).on('exit', onExit);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) return onAbort();
      thread.postMessage(request);
    });
  }
}
