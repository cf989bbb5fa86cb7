import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asKeyStoreUnavailable } from '../vault/secret-open-errors';
import { asDatabaseUnavailable } from './database-errors';
import { DomainError, ErrorCode } from './errors';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.IntercomOAuthStateInvalid:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.SignInRequired:
    case ErrorCode.MfaCodeInvalid:
    case ErrorCode.PasskeyRejected:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.CsrfRejected:
    case ErrorCode.InvitationWrongAccount:
    case ErrorCode.MfaEnrolmentRequired:
    case ErrorCode.TenantRequiresMfa:
    case ErrorCode.StepUpRequired:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.IntercomOAuthNotConfigured:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.InvitationUsed:
    case ErrorCode.InvitationExpired:
    case ErrorCode.NoSigningKey:
    case ErrorCode.SecretStillSigning:
    case ErrorCode.SecretUndecryptable:
    case ErrorCode.IntercomWorkspaceMismatch:
    case ErrorCode.IntercomNotConnected:
    case ErrorCode.IntercomSecretAlreadyLinked:
    case ErrorCode.RotationInProgress:
    case ErrorCode.NothingToRotate:
    case ErrorCode.RotationNotOverlapping:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.IntercomTokenRejected:
    case ErrorCode.IntercomOAuthCodeRejected:
    case ErrorCode.IntercomSecretUnknown:
      return 422;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.IntercomUnavailable:
      return 502;
    case ErrorCode.ServiceUnavailable:
    case ErrorCode.VaultKeyUnavailable:
    case ErrorCode.DatabaseUnavailable:
      return 503;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string | string[];
  fields?: Record<string, string[]>;
}

/** Turns Fastify's own client errors (bad JSON, body too large, wrong content type) into actionable 4xx. */
function fromFastify(err: { statusCode?: number; code?: string; message?: string }): ErrorBody | null {
  const status = err.statusCode;
  if (!status || status < 400 || status >= 500) return null;
  const messages: Record<string, string> = {
    FST_ERR_CTP_INVALID_JSON_BODY:
      'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty. Send a JSON object with Content-Type: application/json.',
    FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large. Send only the documented fields.',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type. Send JSON with Content-Type: application/json.',
  };
  const code =
    err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? 'payload_too_large'
      : status === 415
        ? 'unsupported_media_type'
        : 'bad_request';
  return {
    statusCode: status,
    error: REASONS[status] ?? 'Error',
    code,
    message: (err.code && messages[err.code]) || err.message || 'Bad request.',
  };
}

/** A browser navigating to one of the web app's own routes (/tenants/..., /login). */
function isClientRoute(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '/';
  return request.method === 'GET' && !/^\/(api|v1|healthz|readyz)(\/|$)/.test(path);
}

const fallbackLogger = new Logger('HttpErrorFilter');

/**
 * Answers any error as `{statusCode, error, code, message}`. Shared by the Nest filter and by
 * the routes registered on Fastify directly (the token hot path).
 */
export function sendError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger = fallbackLogger,
): void {
  const { body, retryAfterSeconds } = errorAnswer(exception, request, logger);
  if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(retryAfterSeconds));
  void reply.status(body.statusCode).send(body);
}

/** What `sendError` answers, for a path that writes the answer itself (bootstrap/direct-route.ts). */
export function errorAnswer(
  exception: unknown,
  request: Pick<FastifyRequest, 'id' | 'method' | 'url'>,
  logger: Logger = fallbackLogger,
): { body: ErrorBody; retryAfterSeconds?: number } {
  // The key store's own error (a CKR_ code, a KMS error name) reaches the log through /readyz.
  exception = asDatabaseUnavailable(exception) ?? asKeyStoreUnavailable(exception) ?? exception;
  const body = toBody(exception, request, logger);
  return exception instanceof DomainError && exception.details.retryAfterSeconds !== undefined
    ? { body, retryAfterSeconds: exception.details.retryAfterSeconds }
    : { body };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly spaFallback = false) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (this.spaFallback && exception instanceof NotFoundException && isClientRoute(request)) {
      void reply.type('text/html').sendFile('index.html');
      return;
    }
    sendError(exception, request, reply);
  }
}

function toBody(exception: unknown, request: Pick<FastifyRequest, 'id' | 'method' | 'url'>, logger: Logger): ErrorBody {
  if (exception instanceof DomainError) {
    const status = statusOf(exception.code);
    const body: ErrorBody = {
      statusCode: status,
      error: REASONS[status] ?? 'Error',
      code: exception.code,
      message: exception.message,
    };
    if (exception.details.fields) {
      body.message = Object.values(exception.details.fields).flat();
      body.fields = exception.details.fields;
    }
    return body;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) {
      return {
        statusCode: 404,
        error: 'Not Found',
        code: 'route_not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}. See /api/docs for the API.`,
      };
    }
    const res = exception.getResponse();
    const message =
      typeof res === 'object' && res && 'message' in res
        ? (res as { message: string | string[] }).message
        : exception.message;
    return {
      statusCode: status,
      error: REASONS[status] ?? 'Error',
      code: status === 429 ? 'too_many_requests' : status === 415 ? 'unsupported_media_type' : 'http_error',
      // Fastify's own 415 only names the status; say what to send instead.
      message:
        status === 415 && /^Unsupported Media Type/.test(String(message))
          ? 'This API reads JSON bodies only. Send the body with Content-Type: application/json.'
          : message,
    };
  }
  const fastify = typeof exception === 'object' && exception ? fromFastify(exception as Record<string, never>) : null;
  if (fastify) return fastify;
  // Log the type and stack only: an unknown error's message may quote request data.
  const err = exception instanceof Error ? exception : new Error(String(exception));
  const dbCode = (exception as { code?: unknown }).code;
  logger.error(
    { err: { type: err.name, dbCode, stack: err.stack?.split('\n').slice(1, 6).join('\n') }, reqId: request.id },
    'unhandled error',
  );
  return {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'internal_error',
    message: `Something went wrong on our side. Try again; if it keeps happening, report request id ${String(request.id)}.`,
  };
}
