import { z } from 'zod';

/** `ErrorBody` (error-body.ts) as the document shows it. */
export const errorBodySchema = z
  .object({
    statusCode: z.number().int().min(400).max(599).meta({ example: 400 }),
    error: z.string().meta({ description: 'The status text', example: 'Bad Request' }),
    message: z.string().meta({ example: 'the request is invalid' }),
    details: z
      .unknown()
      .optional()
      .meta({
        description: 'For a 400: `[{ field, message }]`, one entry per problem',
        example: [{ field: 'input.query', message: 'Too small: expected string to have >=1 characters' }],
      }),
  })
  .meta({ id: 'ErrorBody', description: 'The body of every 4xx and 5xx answer' });
