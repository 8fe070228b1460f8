import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorBody } from './error-body.js';

interface FastifyError extends Error {
  statusCode?: number;
  code?: string;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty but Content-Type is application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type; send application/json',
};

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest wraps Fastify's own 4xx errors (bad JSON, body too large) with the original as `cause`.
    const code = (exception.cause as FastifyError | undefined)?.code;
    if (code && FASTIFY_MESSAGES[code]) return errorBody(status, FASTIFY_MESSAGES[code]);
    const response = exception.getResponse();
    if (typeof response === 'string') return errorBody(status, response);
    const { message, details } = response as { message?: unknown; details?: unknown };
    // ValidationPipe answers with a list of messages: the list becomes `details`.
    if (Array.isArray(message)) return errorBody(status, 'the request is invalid', details ?? message);
    return errorBody(status, typeof message === 'string' ? message : exception.message, details);
  }
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
}

/** Every error, Nest's or Fastify's, leaves as an `ErrorBody`; a 5xx is logged without the request body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      const err = exception as Error;
      this.logger.error(
        {
          reqId: http.getRequest<FastifyRequest>()?.id,
          err: { name: err?.name, message: err?.message, stack: err?.stack },
        },
        'unhandled error',
      );
    }
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number })?.retryAfter;
      if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
