/**
 * Meta Cloud API error codes with a plain-language explanation, what to do about it and what the
 * outbox does (`kind`: throttle, retry, auth, permanent — see meta-errors/kinds.ts). Codes per
 * Meta's 2025–2026 "Error codes" reference (the guide swaps 132000/132001; see DESIGN.md).
 */
import { API_PERMISSION_ERROR, AUTH_ERRORS, INTEGRITY_ERRORS, THROTTLING_ERRORS } from './meta-errors/auth-and-throttling.ts';
import type { MetaErrorInfo } from './meta-errors/kinds.ts';
import { MESSAGING_ERRORS } from './meta-errors/messaging.ts';
import { REGISTRATION_ERRORS, TEMPLATE_ERRORS } from './meta-errors/templates-and-registration.ts';

export type { MetaErrorInfo, MetaErrorKind } from './meta-errors/kinds.ts';

export const META_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  ...AUTH_ERRORS,
  ...THROTTLING_ERRORS,
  ...INTEGRITY_ERRORS,
  ...MESSAGING_ERRORS,
  ...TEMPLATE_ERRORS,
  ...REGISTRATION_ERRORS,
};

/** The entry for a Meta code: the table, or the 200–299 permission range. */
export function metaErrorInfo(code: number): MetaErrorInfo | undefined {
  if (META_ERRORS[code]) return META_ERRORS[code];
  if (code >= 200 && code <= 299) return API_PERMISSION_ERROR;
  return undefined;
}

/** Our own codes for failures that never reached Meta (network, timeouts, our own limits). */
export const LOCAL_ERRORS: Readonly<Record<string, MetaErrorInfo>> = {
  network: {
    title: 'Could not reach WhatsApp',
    explanation: 'The connection to Meta’s Cloud API failed.',
    fix: 'ConnectDesk retries automatically; check the server’s internet access if this persists.',
    kind: 'retry',
    retryable: true,
  },
  timeout: {
    title: 'WhatsApp did not answer in time',
    explanation: 'The Cloud API did not answer before the timeout.',
    fix: 'ConnectDesk retries automatically.',
    kind: 'retry',
    retryable: true,
  },
  http_5xx: {
    title: 'WhatsApp server error',
    explanation: 'Meta’s servers returned an error.',
    fix: 'ConnectDesk retries automatically.',
    kind: 'retry',
    retryable: true,
  },
  media_too_large: {
    title: 'Media too large',
    explanation: 'The file is larger than ConnectDesk accepts for this kind of media.',
    fix: 'Ask for a smaller file, or raise the limit in the server settings.',
    kind: 'permanent',
    retryable: false,
  },
  local_error: {
    title: 'Could not prepare the message',
    explanation: 'ConnectDesk could not prepare this message for WhatsApp (for example its file is missing or its WhatsApp number was removed).',
    fix: 'Read the detail, fix the cause and press Retry.',
    kind: 'permanent',
    retryable: false,
  },
  attempts_exhausted: {
    title: 'Gave up after repeated failures',
    explanation: 'The message could not be sent after many attempts.',
    fix: 'Check the WhatsApp settings and press Retry.',
    kind: 'permanent',
    retryable: false,
  },
};

export function explainMetaError(code: number | string | null | undefined): MetaErrorInfo {
  if (code !== null && code !== undefined) {
    const n = typeof code === 'number' ? code : Number(code);
    const known = Number.isFinite(n) ? metaErrorInfo(n) : undefined;
    if (known) return known;
    if (typeof code === 'string' && LOCAL_ERRORS[code]) return LOCAL_ERRORS[code];
  }
  return {
    title: 'Unknown error',
    explanation: `WhatsApp reported error ${code ?? 'without a code'}.`,
    fix: 'Retry; if it keeps failing, look the code up in Meta’s error reference.',
    kind: 'permanent',
    retryable: false,
  };
}
