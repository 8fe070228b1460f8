import { z } from 'zod';

/** Validates a PDF payload; the API layer reuses it so a bad request fails before it is queued. */
export const pdfDocumentInputSchema = z.object({
  title: z.string().trim().min(1).max(200),
  sections: z
    .array(
      z.object({
        heading: z.string().trim().min(1).max(200),
        body: z.string().max(20_000),
      }),
    )
    .min(1)
    .max(50),
});

export type PdfDocumentInput = z.input<typeof pdfDocumentInputSchema>;
