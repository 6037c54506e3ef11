import type { ValidationError } from './schemas.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An error the API answers with its status and the documented body (docs/server-api.md "Errors"). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: { field?: string; errorClass?: string; line?: number; column?: number } = {},
  ) {
    super(message);
  }

  get body() {
    return {
      statusCode: this.statusCode,
      error: REASONS[this.statusCode] ?? 'Error',
      message: this.message,
      ...this.details,
    };
  }

  static notFound(what: string): HttpError {
    return new HttpError(404, `${what} not found`);
  }

  /** 422 from the first validation error of a spec. */
  static unprocessable(error: ValidationError): HttpError {
    const details: HttpError['details'] = {};
    if (error.field !== undefined) details.field = error.field;
    if (error.errorClass !== null) details.errorClass = error.errorClass;
    if (error.line !== undefined) details.line = error.line;
    if (error.column !== undefined) details.column = error.column;
    return new HttpError(422, error.message, details);
  }
}
