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
  not_found: 404,
  conflict: 409,
  window_closed: 422,
  template_not_found: 422,
  template_param_mismatch: 422,
  no_whatsapp_contact: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  locked: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  code: ErrorCode | string;
  message: string;
  details?: unknown;
}
