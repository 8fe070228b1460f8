import PDFDocument from 'pdfkit';
import type { ProgressReporter } from '../shared/progress-reporter.js';
import { type PdfDocumentInput, pdfDocumentInputSchema } from './pdf-document.dto.js';
import { toWinAnsiText } from './win-ansi-text.util.js';

export interface RenderedPdf {
  buffer: Buffer;
  pages: number;
}

/**
 * pdfkit stamps the creation date into the file and derives the document ID from it; a fixed default keeps
 * the bytes (and so the sha256) identical for identical input. A caller that wants a real date passes one
 * it already stores, such as the job's creation time, so retries still produce the same file.
 */
export const DEFAULT_PDF_CREATION_DATE = new Date('2000-01-01T00:00:00.000Z');

const MARGIN = 56;
const FOOTER_OFFSET = 32;
const FOOTER_TITLE_MAX = 70;
const BODY_SIZE = 11;
// Start a section on a new page rather than leave its heading alone at the bottom of one.
const MIN_SPACE_FOR_SECTION = 90;

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function writeFooters(doc: PDFKit.PDFDocument, title: string): number {
  const { start, count } = doc.bufferedPageRange();
  // The footer is one line by design; a long title would run off the page rather than wrap.
  const label = title.length > FOOTER_TITLE_MAX ? `${title.slice(0, FOOTER_TITLE_MAX - 3)}...` : title;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { page } = doc;
    // Text below the bottom margin would make pdfkit open a new page, so lift the margin while stamping.
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#666666')
      .text(`${label}  ·  Page ${i + 1} of ${count}`, MARGIN, page.height - FOOTER_OFFSET, {
        width: page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
    page.margins.bottom = bottom;
  }
  return count;
}

/** Renders a titled document of headed sections as A4 pages using only the standard fonts. */
export async function renderPdf(
  input: PdfDocumentInput,
  progress?: ProgressReporter,
  createdAt: Date = DEFAULT_PDF_CREATION_DATE,
): Promise<RenderedPdf> {
  const parsed = pdfDocumentInputSchema.parse(input);
  const title = toWinAnsiText(parsed.title).replace(/\n/g, ' ');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Creator: 'Strata', Producer: 'Strata', CreationDate: createdAt },
  });
  const done = collect(doc);

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#111111').text(title);
  doc.moveDown(0.5);

  for (const [i, section] of parsed.sections.entries()) {
    const bottom = doc.page.height - doc.page.margins.bottom;
    if (i > 0 && bottom - doc.y < MIN_SPACE_FOR_SECTION) doc.addPage();
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(13).fillColor('#111111').text(toWinAnsiText(section.heading));
    doc.moveDown(0.25);
    // Blank lines separate paragraphs; paragraphGap spaces them, so the blank line itself is dropped.
    const body = toWinAnsiText(section.body)
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean)
      .join('\n');
    if (body) {
      doc.font('Helvetica').fontSize(BODY_SIZE).fillColor('#222222').text(body, {
        lineGap: 2,
        paragraphGap: 6,
      });
    }
    await progress?.(5 + Math.round((85 * (i + 1)) / parsed.sections.length));
  }

  const pages = writeFooters(doc, title);
  doc.end();
  const buffer = await done;
  await progress?.(100);
  return { buffer, pages };
}
