/**
 * Meta's authorization, throttling and integrity errors (the "Error codes" page of the Cloud API
 * reference). Throttling codes carry the least wait before a retry: 80007 and 4 are counted per
 * hour by Meta, 131048 follows the number's quality, 131056 allows one message every 6 seconds to
 * the same user, 131049 must not be retried soon (Meta limits marketing messages per user).
 */
import { entry, type MetaErrorInfo } from './kinds.ts';

const TOKEN_FIX = 'Create a permanent System User token in Meta Business Settings and paste it in Settings → WhatsApp numbers; sending resumes on its own.';
const PERMISSION_FIX =
  'Give the system user whatsapp_business_messaging and whatsapp_business_management, generate a new token and save it in Settings → WhatsApp numbers.';
const MINUTE = 60_000;

export const AUTH_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  0: entry(
    'auth',
    'AuthException',
    'Meta could not authenticate the request: the access token expired, was invalidated, or app access was removed.',
    TOKEN_FIX,
  ),
  3: entry('permanent', 'API Method', 'The app lacks a capability or permission this call needs.', PERMISSION_FIX),
  10: entry('auth', 'Permission Denied', 'The access token lacks a permission this action needs, or it was removed.', PERMISSION_FIX),
  190: entry('auth', 'Access token has expired', 'The WhatsApp access token is invalid or has expired (temporary tokens last 24 hours).', TOKEN_FIX),
};

/** 200–299: "API Permission", one meaning for the whole range. */
export const API_PERMISSION_ERROR: MetaErrorInfo = entry(
  'auth',
  'API Permission',
  'A permission the access token needs was not granted or has been removed.',
  PERMISSION_FIX,
);

export const THROTTLING_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  4: entry('throttle', 'API Too Many Calls', 'The app hit Meta’s API call limit.', 'ConnectDesk slows down and retries automatically.', MINUTE),
  80007: entry(
    'throttle',
    'Rate limit issues',
    'The WhatsApp Business Account reached its API rate limit (Meta answers this with HTTP 400 or 429).',
    'ConnectDesk waits and retries automatically; if it keeps happening, send fewer API calls per hour.',
    MINUTE,
  ),
  130429: entry(
    'throttle',
    'Rate limit hit',
    'More messages were sent than this number’s throughput allows (80 per second by default).',
    'ConnectDesk slows down and retries automatically.',
  ),
  131048: entry(
    'throttle',
    'Spam rate limit hit',
    'Meta limits how many messages this number may send because too many earlier ones were blocked or reported as spam.',
    'ConnectDesk waits and retries; check the number’s quality rating in WhatsApp Manager and send fewer unsolicited messages.',
    5 * MINUTE,
  ),
  131049: entry(
    'throttle',
    'Meta chose not to deliver',
    'To keep the WhatsApp ecosystem healthy, Meta did not deliver this marketing template: the customer already received many marketing messages recently.',
    'Do not resend at once; ConnectDesk retries no sooner than an hour later, and a later day is more likely to succeed.',
    60 * MINUTE,
  ),
  131056: entry(
    'throttle',
    'Pair rate limit hit',
    'Too many messages were sent to this customer in a short time (about one every 6 seconds).',
    'ConnectDesk waits and retries automatically.',
    6000,
  ),
  133016: entry(
    'permanent',
    'Account register/deregister rate limit exceeded',
    'The number was registered or deregistered too many times in a short period.',
    'Wait before registering the number again (Meta allows 10 attempts in 72 hours).',
  ),
};

export const INTEGRITY_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  368: entry(
    'permanent',
    'Temporarily blocked for policies violations',
    'Meta restricted or disabled the WhatsApp Business Account for violating a platform policy.',
    'Read the notice in WhatsApp Manager → Account quality and request a review if you disagree.',
  ),
  130497: entry(
    'permanent',
    'Business account is restricted from messaging users in this country',
    'Meta does not let this business message customers in the recipient’s country.',
    'See the WhatsApp Business Messaging Policy for the countries allowed to your business category.',
  ),
  131031: entry(
    'permanent',
    'Account has been locked',
    'The WhatsApp Business Account is locked: a policy violation, or the number failed two-step verification.',
    'Check WhatsApp Manager for the reason, fix it and request a review.',
  ),
};
