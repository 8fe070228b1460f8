import { z } from 'zod';
import { pdfDocumentInputSchema } from './pdf-document.dto.js';

/** A document given section by section, or the text of one of the caller's completed narrative tasks. */
export const pdfTaskInputSchema = z
  .object({
    title: pdfDocumentInputSchema.shape.title,
    sections: pdfDocumentInputSchema.shape.sections.optional(),
    fromTask: z.string().min(3).max(200).optional(),
  })
  .refine((v) => (v.sections === undefined) !== (v.fromTask === undefined), {
    message: 'give either sections or fromTask',
    path: ['sections'],
  });

export type PdfTaskInput = z.output<typeof pdfTaskInputSchema>;

export interface PdfTaskResult {
  artifact: { bytes: number; pages: number; sha256: string };
}
