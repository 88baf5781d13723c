/**
 * Meta Cloud API error codes with a plain-language explanation and what to do about it.
 * Codes per Meta's 2025–2026 docs (the guide swaps 132000/132001; see DESIGN.md).
 * `retryable` says whether the outbox should try again on its own.
 */
export interface MetaErrorInfo {
  title: string;
  explanation: string;
  fix: string;
  retryable: boolean;
}

export const META_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  0: {
    title: 'AuthException',
    explanation: 'Meta could not authenticate the request.',
    fix: 'Check the access token in Settings → WhatsApp numbers.',
    retryable: false,
  },
  1: {
    title: 'API Unknown',
    explanation: 'Meta had an unexpected problem with this request.',
    fix: 'Retry in a moment; if it persists, check Meta’s status page.',
    retryable: true,
  },
  2: {
    title: 'API Service',
    explanation: 'Meta’s service is temporarily unavailable.',
    fix: 'ConnectDesk retries automatically; nothing to do unless it keeps failing.',
    retryable: true,
  },
  4: {
    title: 'API Too Many Calls',
    explanation: 'The app hit Meta’s API call limit.',
    fix: 'ConnectDesk slows down and retries automatically.',
    retryable: true,
  },
  10: {
    title: 'Permission Denied',
    explanation: 'The access token lacks a permission this action needs.',
    fix: 'Give the system user whatsapp_business_messaging and whatsapp_business_management, then generate a new token.',
    retryable: false,
  },
  100: {
    title: 'Invalid parameter',
    explanation: 'Meta rejected a field of the message as invalid.',
    fix: 'Check the recipient number, media and template parameters, then retry.',
    retryable: false,
  },
  190: {
    title: 'Access token has expired',
    explanation: 'The WhatsApp access token is invalid or has expired (temporary tokens last 24 hours).',
    fix: 'Create a permanent System User token in Meta Business Settings and paste it in Settings → WhatsApp numbers.',
    retryable: false,
  },
  368: {
    title: 'Temporarily blocked for policies violations',
    explanation: 'Meta temporarily blocked this number for policy violations.',
    fix: 'Review the WhatsApp Business Policy and the notice in WhatsApp Manager.',
    retryable: false,
  },
  130429: {
    title: 'Rate limit hit',
    explanation: 'More messages were sent than this number’s throughput allows (about 80 per second).',
    fix: 'ConnectDesk slows down and retries automatically.',
    retryable: true,
  },
  130472: {
    title: "User's number is part of an experiment",
    explanation: 'Meta did not deliver this marketing message because the user is in a Meta experiment.',
    fix: 'Nothing to do; try again later or reach the customer another way.',
    retryable: false,
  },
  131000: {
    title: 'Something went wrong',
    explanation: 'Meta failed to send the message for an unknown reason.',
    fix: 'Retry; if it keeps failing, check Meta’s status page.',
    retryable: true,
  },
  131005: {
    title: 'Access denied',
    explanation: 'The token is not allowed to send from this phone number.',
    fix: 'Assign the WhatsApp account to the system user and generate a new token.',
    retryable: false,
  },
  131008: {
    title: 'Required parameter is missing',
    explanation: 'The message is missing a required field.',
    fix: 'Check the message content and retry.',
    retryable: false,
  },
  131009: {
    title: 'Parameter value is not valid',
    explanation: 'A value in the message is not valid (for example a wrong phone number format).',
    fix: 'Check the recipient number and message content.',
    retryable: false,
  },
  131016: {
    title: 'Service unavailable',
    explanation: 'WhatsApp is temporarily unavailable.',
    fix: 'ConnectDesk retries automatically.',
    retryable: true,
  },
  131021: {
    title: 'Recipient cannot be sender',
    explanation: 'The message was addressed to the business’s own number.',
    fix: 'Use a different recipient number.',
    retryable: false,
  },
  131026: {
    title: 'Message undeliverable',
    explanation: 'The recipient cannot receive this message: the number may not be on WhatsApp, may use an old app version, or has not accepted the new terms.',
    fix: 'Confirm the number is on WhatsApp, or contact the customer another way.',
    retryable: false,
  },
  131030: {
    title: 'Recipient phone number not in allowed list',
    explanation: 'While the app is in development mode, WhatsApp only delivers to up to five numbers you have added as test recipients.',
    fix: 'Add the number under WhatsApp → API Setup → To, or switch the app to Live mode.',
    retryable: false,
  },
  131031: {
    title: 'Account has been locked',
    explanation: 'The WhatsApp Business account is restricted or disabled.',
    fix: 'Check WhatsApp Manager for the reason and request a review.',
    retryable: false,
  },
  131042: {
    title: 'Business eligibility payment issue',
    explanation: 'There is a problem with the payment method of the WhatsApp Business account.',
    fix: 'Add or fix the payment method in Meta Business Settings → Billing.',
    retryable: false,
  },
  131045: {
    title: 'Incorrect certificate',
    explanation: 'The phone number is not registered with the Cloud API.',
    fix: 'Register the number (POST /{phone-number-id}/register) and try again.',
    retryable: false,
  },
  131047: {
    title: 'Re-engagement message',
    explanation: 'More than 24 hours have passed since the customer last wrote, so WhatsApp only allows an approved template.',
    fix: 'Send a template (for example connectdesk_reopen); when the customer replies, free-form messages are allowed again.',
    retryable: false,
  },
  131049: {
    title: 'Meta chose not to deliver',
    explanation: 'Meta limited how many marketing templates this user receives.',
    fix: 'Wait before sending another marketing template to this customer.',
    retryable: false,
  },
  131050: {
    title: 'User stopped marketing messages',
    explanation: 'The customer opted out of marketing messages from this business.',
    fix: 'Do not send marketing templates to this customer.',
    retryable: false,
  },
  131051: {
    title: 'Unsupported message type',
    explanation: 'WhatsApp does not support this kind of message.',
    fix: 'Send text, media or a template instead.',
    retryable: false,
  },
  131052: {
    title: 'Media download error',
    explanation: 'WhatsApp could not download the media the customer sent.',
    fix: 'Ask the customer to send the file again.',
    retryable: false,
  },
  131053: {
    title: 'Media upload error',
    explanation: 'The media could not be uploaded: unsupported type or too large.',
    fix: 'Use a supported type within WhatsApp’s size limits (images 5 MB, video and audio 16 MB, documents 100 MB).',
    retryable: false,
  },
  131056: {
    title: 'Pair rate limit hit',
    explanation: 'Too many messages were sent to this customer in a short time (about one every 6 seconds).',
    fix: 'ConnectDesk waits and retries automatically.',
    retryable: true,
  },
  131057: {
    title: 'Account in maintenance mode',
    explanation: 'The WhatsApp Business account is in maintenance mode (for example a throughput upgrade).',
    fix: 'ConnectDesk retries automatically; wait a few minutes.',
    retryable: true,
  },
  132000: {
    title: 'Number of parameters does not match',
    explanation: 'The template was sent with a different number of parameters than it expects.',
    fix: 'Fill in exactly the template’s variables ({{1}}, {{2}}, …).',
    retryable: false,
  },
  132001: {
    title: 'Template does not exist',
    explanation: 'The template does not exist in that language or is not approved yet.',
    fix: 'Check the name and language in Templates, sync, and wait for approval.',
    retryable: false,
  },
  132005: {
    title: 'Translated text too long',
    explanation: 'The template text with its parameters is too long.',
    fix: 'Use shorter parameter values.',
    retryable: false,
  },
  132007: {
    title: 'Format character policy violated',
    explanation: 'A template parameter breaks WhatsApp’s formatting rules (for example new lines or tabs).',
    fix: 'Remove new lines, tabs and more than four spaces from the parameters.',
    retryable: false,
  },
  132012: {
    title: 'Parameter format does not match',
    explanation: 'A template parameter has the wrong format (for example text where media is expected).',
    fix: 'Check the template’s parameter types.',
    retryable: false,
  },
  132015: {
    title: 'Template is paused',
    explanation: 'Meta paused this template because of low quality.',
    fix: 'Edit the template or use another one.',
    retryable: false,
  },
  132016: {
    title: 'Template is disabled',
    explanation: 'Meta disabled this template because of low quality.',
    fix: 'Create a new template.',
    retryable: false,
  },
  132018: {
    title: 'Template parameter issue',
    explanation: 'A template parameter breaks WhatsApp’s rules: no new lines, tabs or more than four spaces in a row.',
    fix: 'Write each parameter on one line; ConnectDesk flattens the ones it fills in itself.',
    retryable: false,
  },
  133010: {
    title: 'Phone number not registered',
    explanation: 'The business phone number is not registered on the WhatsApp Business Platform.',
    fix: 'Register the number with the Cloud API.',
    retryable: false,
  },
  135000: {
    title: 'Generic user error',
    explanation: 'WhatsApp could not send the message because of an unknown error with the parameters.',
    fix: 'Check the message and retry.',
    retryable: false,
  },
};

/** Our own codes for failures that never reached Meta (network, timeouts, our own limits). */
export const LOCAL_ERRORS: Readonly<Record<string, MetaErrorInfo>> = {
  network: {
    title: 'Could not reach WhatsApp',
    explanation: 'The connection to Meta’s Cloud API failed.',
    fix: 'ConnectDesk retries automatically; check the server’s internet access if this persists.',
    retryable: true,
  },
  timeout: {
    title: 'WhatsApp did not answer in time',
    explanation: 'The Cloud API did not answer before the timeout.',
    fix: 'ConnectDesk retries automatically.',
    retryable: true,
  },
  http_5xx: {
    title: 'WhatsApp server error',
    explanation: 'Meta’s servers returned an error.',
    fix: 'ConnectDesk retries automatically.',
    retryable: true,
  },
  media_too_large: {
    title: 'Media too large',
    explanation: 'The file is larger than ConnectDesk accepts for this kind of media.',
    fix: 'Ask for a smaller file, or raise the limit in the server settings.',
    retryable: false,
  },
  local_error: {
    title: 'Could not prepare the message',
    explanation: 'ConnectDesk could not prepare this message for WhatsApp (for example its file is missing or its WhatsApp number was removed).',
    fix: 'Read the detail, fix the cause and press Retry.',
    retryable: false,
  },
  attempts_exhausted: {
    title: 'Gave up after repeated failures',
    explanation: 'The message could not be sent after many attempts.',
    fix: 'Check the WhatsApp settings and press Retry.',
    retryable: false,
  },
};

export function explainMetaError(code: number | string | null | undefined): MetaErrorInfo {
  if (code !== null && code !== undefined) {
    const n = typeof code === 'number' ? code : Number(code);
    if (Number.isFinite(n) && META_ERRORS[n]) return META_ERRORS[n];
    if (typeof code === 'string' && LOCAL_ERRORS[code]) return LOCAL_ERRORS[code];
  }
  return {
    title: 'Unknown error',
    explanation: `WhatsApp reported error ${code ?? 'without a code'}.`,
    fix: 'Retry; if it keeps failing, look the code up in Meta’s error reference.',
    retryable: false,
  };
}
