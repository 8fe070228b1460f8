import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ZodError } from 'zod';
import { renderPdf } from './render-pdf.js';

// pdf.js draws the standard 14 fonts from data files; pointing at them keeps it from warning on every page.
const standardFontDataUrl =
  join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

async function readPdf(buffer: Buffer): Promise<{ pages: number; text: string[]; title: unknown }> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), standardFontDataUrl }).promise;
  try {
    const text: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      text.push(content.items.map((item) => ('str' in item ? item.str : '')).join('\n'));
    }
    const { info } = await pdf.getMetadata();
    return { pages: pdf.numPages, text, title: (info as Record<string, unknown>).Title };
  } finally {
    await pdf.destroy();
  }
}

const report = {
  title: 'Quarterly Platform Report',
  sections: [
    { heading: 'Summary', body: 'Deployments doubled while incidents fell by a third.' },
    { heading: 'Next steps', body: 'Retire the legacy queue.\n\nMove billing to the new cluster.' },
  ],
};

describe('renderPdf', () => {
  it('produces a PDF whose text holds the title and the sections', async () => {
    const { buffer, pages } = await renderPdf(report);
    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const parsed = await readPdf(buffer);
    expect(pages).toBe(1);
    expect(parsed.pages).toBe(1);
    expect(parsed.title).toBe('Quarterly Platform Report');
    expect(parsed.text[0]).toContain('Quarterly Platform Report');
    expect(parsed.text[0]).toContain('Next steps');
    expect(parsed.text[0]).toContain('Deployments doubled while incidents fell by a third.');
    expect(parsed.text[0]).toContain('Move billing to the new cluster.');
    expect(parsed.text[0]).toContain('Page 1 of 1');
  });

  it('flows 50 sections over several pages and reports the count it rendered', async () => {
    const sections = Array.from({ length: 50 }, (_, i) => ({
      heading: `Section ${i + 1}`,
      body: `Findings for area ${i + 1}. `.repeat(12),
    }));
    const { buffer, pages } = await renderPdf({ title: 'Long report', sections });
    const parsed = await readPdf(buffer);
    expect(pages).toBeGreaterThan(1);
    expect(parsed.pages).toBe(pages);
    expect(parsed.text.join('\n')).toContain('Section 50');
    expect(parsed.text[pages - 1]).toContain(`Page ${pages} of ${pages}`);
  });

  it('renders identical bytes for identical input', async () => {
    const sha = async () =>
      createHash('sha256')
        .update((await renderPdf(report)).buffer)
        .digest('hex');
    expect(await sha()).toBe(await sha());
  });

  it('stamps the given creation date', async () => {
    const { buffer } = await renderPdf(report, undefined, new Date('2025-03-04T05:06:07Z'));
    expect(buffer.toString('latin1')).toContain('D:20250304050607Z');
  });

  it('keeps Latin-1 and typographic characters and replaces what the standard fonts cannot draw', async () => {
    const { buffer } = await renderPdf({
      title: 'Café “Zürich” — 2025',
      sections: [{ heading: 'Notes', body: 'Done ✓ and 中文' }],
    });
    const parsed = await readPdf(buffer);
    expect(parsed.text[0]).toContain('Café “Zürich” — 2025');
    expect(parsed.text[0]).toContain('Done ? and ??');
  });

  it('reports progress up to 100', async () => {
    const seen: number[] = [];
    await renderPdf(report, (pct) => {
      seen.push(pct);
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBe(report.sections.length + 1);
  });

  it.each([
    ['no sections', { title: 'T', sections: [] }],
    ['51 sections', { title: 'T', sections: Array.from({ length: 51 }, () => ({ heading: 'H', body: '' })) }],
    ['an empty title', { title: ' ', sections: [{ heading: 'H', body: 'B' }] }],
  ])('rejects %s', async (_, input) => {
    await expect(renderPdf(input)).rejects.toThrow(ZodError);
  });
});
