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
  })
  .meta({
    description: 'Give `sections`, or `fromTask` (one of your completed narrative tasks), not both',
    oneOf: [{ required: ['sections'] }, { required: ['fromTask'] }],
    example: { title: 'Ada Okafor', sections: [{ heading: 'Profile', body: 'Builds calm systems.' }] },
  });

export type PdfTaskInput = z.output<typeof pdfTaskInputSchema>;

/** What a pdf task completes with: the file itself is at `GET /v1/tasks/{id}/artifact`. */
export const pdfTaskResultSchema = z.object({
  artifact: z.object({
    bytes: z.number().int().min(1),
    pages: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

export type PdfTaskResult = z.output<typeof pdfTaskResultSchema>;
