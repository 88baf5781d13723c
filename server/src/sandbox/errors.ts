/**
 * Errors the sandbox answers with. Graph paths answer like Meta (MetaError → `{ error: { message,
 * type, code, error_subcode, error_data, fbtrace_id } }` with Meta's HTTP status); the sandbox's own
 * endpoints (phones, faults) answer like ConnectDesk (`{ error: { code, message } }`).
 */
import type { GraphErrorBody } from '@connectdesk/shared';
import { newFbtraceId } from './ids.ts';

export class MetaError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly details?: string,
    readonly extra: { subcode?: number; type?: string; transient?: boolean } = {},
  ) {
    super(message);
    this.name = 'MetaError';
  }

  toBody(): GraphErrorBody & { error: { is_transient?: boolean } } {
    return {
      error: {
        message: this.message,
        type: this.extra.type ?? 'OAuthException',
        code: this.code,
        ...(this.extra.subcode === undefined ? {} : { error_subcode: this.extra.subcode }),
        ...(this.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details: this.details } }),
        ...(this.extra.transient ? { is_transient: true } : {}),
        fbtrace_id: newFbtraceId(),
      },
    };
  }
}

/** The errors Meta returns, with Meta's messages and HTTP statuses. */
export const metaErrors = {
  missingToken: () => new MetaError(401, 190, 'An access token is required to request this resource.', undefined, { type: 'OAuthException' }),
  badToken: () => new MetaError(401, 190, 'Invalid OAuth access token - Cannot parse access token', undefined, { type: 'OAuthException' }),
  invalidParameter: (details: string) => new MetaError(400, 100, '(#100) Invalid parameter', details),
  unknownPath: (path: string) => new MetaError(400, 100, `Unknown path components: ${path}`, undefined, { type: 'OAuthException' }),
  unsupportedRequest: (method: string, id: string) =>
    new MetaError(
      400,
      100,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      undefined,
      { subcode: 33, type: 'GraphMethodException' },
    ),
  throughput: () => new MetaError(400, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'),
  pairRate: () =>
    new MetaError(
      400,
      131056,
      '(#131056) (Business Account, Consumer Account) pair rate limit hit',
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    ),
  notAllowed: () =>
    new MetaError(
      400,
      131030,
      '(#131030) Recipient phone number not in allowed list',
      'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.',
    ),
  selfRecipient: () => new MetaError(400, 131021, '(#131021) Recipient cannot be sender', 'Sender and recipient phone number is the same.'),
  missingParameter: (details: string) => new MetaError(400, 131008, '(#131008) Required parameter is missing', details),
  invalidValue: (details: string) => new MetaError(400, 131009, '(#131009) Parameter value is not valid', details),
  unsupportedType: (type: string) => new MetaError(400, 131051, '(#131051) Unsupported message type', `Message type ${type} is not currently supported.`),
  mediaUpload: (details: string) => new MetaError(400, 131053, '(#131053) Media upload error', details),
  /** Since v23.0 Meta names this one; before, it was a (#100) Invalid parameter with the same details. */
  paramFormat: (where: string, index: number) =>
    new MetaError(
      400,
      132018,
      '(#132018) There was an issue with the parameters in your template.',
      `${where} parameter ${index}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces`,
    ),
  paramCount: (component: string, given: number, expected: number) =>
    new MetaError(
      400,
      132000,
      '(#132000) Number of parameters does not match the expected number of params',
      `${component}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
    ),
  formatMismatch: (details: string) => new MetaError(400, 132012, '(#132012) Parameter format does not match format in the created template', details),
  textTooLong: (length: number, max: number) =>
    new MetaError(400, 132005, '(#132005) Translated text too long', `The filled template text is ${length} characters; the maximum is ${max}.`),
  templateMissing: (name: string, language: string) =>
    new MetaError(404, 132001, '(#132001) Template name does not exist in the translation', `template name (${name}) does not exist in ${language}`),
  templatePaused: (name: string) => new MetaError(400, 132015, '(#132015) Template is Paused', `Template ${name} is paused due to low quality.`),
  templateDisabled: (name: string) => new MetaError(400, 132016, '(#132016) Template is Disabled', `Template ${name} has been disabled.`),
  /** Meta answers this with HTTP 400 or 429; both mean the account's rate limit. */
  accountRateLimit: (httpStatus: 400 | 429) =>
    new MetaError(httpStatus, 80007, '(#80007) There have been too many calls to this WhatsApp Business account. Wait a bit and try again.'),
  spamRateLimit: () =>
    new MetaError(
      400,
      131048,
      '(#131048) Spam rate limit hit',
      'Message failed to send because there are restrictions on how many messages can be sent from this phone number. This may be because too many previous messages were blocked or flagged as spam.',
    ),
  tokenExpired: (expiredAt: Date, now: Date) =>
    new MetaError(
      401,
      190,
      `Error validating access token: Session has expired on ${expiredAt.toUTCString()}. The current time is ${now.toUTCString()}.`,
      undefined,
      { subcode: 463, type: 'OAuthException' },
    ),
  serviceUnavailable: () => new MetaError(503, 2, 'Service temporarily unavailable', undefined, { type: 'OAuthException', transient: true }),
};

/** An error of the sandbox's own endpoints (bad input to /sandbox/phones, /sandbox/faults...). */
export class SandboxInputError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxInputError';
  }
}

export const badInput = (message: string) => new SandboxInputError(400, 'validation_failed', message);

/** Meta's error payloads in failed status webhooks (`statuses[].errors[]`). */
export function webhookError(code: number, title: string, details: string) {
  return {
    code,
    title,
    message: title,
    error_data: { details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}
