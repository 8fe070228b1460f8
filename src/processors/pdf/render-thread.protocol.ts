import type { PdfDocumentInput } from './pdf-document.dto.js';

/** What PdfRenderPool sends a rendering thread. */
export interface RenderRequest {
  input: PdfDocumentInput;
  /** Epoch ms, stamped into the PDF so a retry renders the same bytes. */
  createdAt: number;
}

/** What a rendering thread answers: any number of progress messages, then done or failed. */
export type RenderReply =
  | { kind: 'progress'; pct: number }
  | { kind: 'done'; bytes: Uint8Array; pages: number }
  | { kind: 'failed'; name: string; message: string };
