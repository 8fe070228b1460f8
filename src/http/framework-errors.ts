import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-body.js';
import { securityHeaderRecord } from './http-security.js';

const MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid (a bad percent-encoding?)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is too long',
};

/**
 * Fastify answers a URL it cannot decode (400) and a path parameter past its length limit (414) before
 * any route or hook runs, in its own shape (`code`, no request id). Its `frameworkErrors` option hands
 * them here, so they leave as every other answer does: the error body, the request id, the security
 * headers. The path is not echoed (it may be megabytes, or someone's secret).
 */
export function frameworkErrorAnswer(requestIdHeader: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode ?? 400;
    void reply
      .status(status)
      .header(requestIdHeader, request.id)
      .headers(securityHeaderRecord(request.url, request.protocol === 'https'))
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(status, MESSAGES[error.code] ?? 'the request could not be routed'));
  };
}
