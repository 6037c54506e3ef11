import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from './queries/http-error.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** The JSON pointer of the failing part of a payload, from ajv's first error. */
export function fieldOf(error: AjvError): string {
  const base = error.instancePath;
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    return `${base}/${error.params.missingProperty}`;
  }
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    return `${base}/${error.params.additionalProperty}`;
  }
  return base === '' ? '/' : base;
}

/**
 * Every error answers `{ statusCode, error, message, field?, errorClass?, line?, column? }`
 * (docs/server-api.md): the API's own errors with their status, schema failures as 400 with the
 * failing field, other client errors (bad JSON, 413) as they are; anything else is a 500 that is logged.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send(error.body);
    const validation = (error as FastifyError).validation as AjvError[] | undefined;
    if (validation && validation.length > 0) {
      const first = validation[0]!;
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: error.message,
        field: fieldOf(first),
      });
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ statusCode: status, error: REASONS[status] ?? 'Bad Request', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send({ statusCode: 500, error: 'Internal Server Error', message: 'internal server error' });
  });
}
