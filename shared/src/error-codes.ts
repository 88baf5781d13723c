/**
 * The stable error codes of ConnectDesk's REST API and socket acks, with their HTTP status.
 * Every error response is `{ error: { code, message } }`.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_json: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  bad_origin: 403,
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  survey_answered: 409,
  survey_expired: 410,
  window_closed: 422,
  template_not_found: 422,
  template_param_mismatch: 422,
  no_whatsapp_contact: 422,
  phone_unverified: 422,
  marketing_opted_out: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  locked: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  /** A known code, or one this build does not know yet (`string & {}` keeps the known ones suggested). */
  code: ErrorCode | (string & {});
  message: string;
  details?: unknown;
}
