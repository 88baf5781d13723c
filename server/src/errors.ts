/**
 * One error model. Domain code throws AppError with a stable code; the outermost HTTP middleware
 * and the socket ack wrapper turn it into `{ error: { code, message } }`. Anything else is a
 * logged 500 whose message never reaches the client.
 */
import { ERROR_STATUS, type ErrorCode } from '@connectdesk/shared';

export class AppError extends Error {
  readonly status: number;
  readonly expose = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const validationFailed = (message: string, details?: unknown) => new AppError('validation_failed', message, details);
export const unauthorized = (message = 'sign in first') => new AppError('unauthorized', message);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
