/** Meta's general and messaging errors (1, 2, 33, 100, 130xxx, 131xxx) with what to do about each. */
import { entry, type MetaErrorInfo } from './kinds.ts';

const AUTO = 'ConnectDesk retries automatically; nothing to do unless it keeps failing.';

export const MESSAGING_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  1: entry('retry', 'API Unknown', 'Meta had an unexpected problem with this request.', 'Retry in a moment; if it persists, check Meta’s status page.'),
  2: entry('retry', 'API Service', 'Meta’s service is temporarily unavailable.', AUTO),
  33: entry(
    'permanent',
    'Parameter value is not valid',
    'The business phone number has been deleted.',
    'Check the phone number id in Settings → WhatsApp numbers.',
  ),
  100: entry(
    'permanent',
    'Invalid parameter',
    'Meta rejected a field of the message as invalid.',
    'Check the recipient number, media and template parameters, then retry.',
  ),
  130472: entry(
    'permanent',
    "User's number is part of an experiment",
    'Meta did not deliver this marketing message because the user is in a Meta experiment.',
    'Nothing to do; try again later or reach the customer another way.',
  ),
  131000: entry(
    'retry',
    'Something went wrong',
    'Meta failed to send the message for an unknown reason.',
    'Retry; if it keeps failing, check Meta’s status page.',
  ),
  131005: entry(
    'permanent',
    'Access denied',
    'The token is not allowed to send from this phone number.',
    'Assign the WhatsApp account to the system user and generate a new token.',
  ),
  131008: entry('permanent', 'Required parameter is missing', 'The message is missing a required field.', 'Check the message content and retry.'),
  131009: entry(
    'permanent',
    'Parameter value is not valid',
    'A value in the message is not valid (for example a wrong phone number format).',
    'Check the recipient number and message content.',
  ),
  131016: entry('retry', 'Service unavailable', 'WhatsApp is temporarily unavailable.', AUTO),
  131021: entry('permanent', 'Recipient cannot be sender', 'The message was addressed to the business’s own number.', 'Use a different recipient number.'),
  131026: entry(
    'permanent',
    'Message undeliverable',
    'The recipient cannot receive this message: the number may not be on WhatsApp, may use an old app version, or has not accepted the new terms.',
    'Confirm the number is on WhatsApp, or contact the customer another way.',
  ),
  131030: entry(
    'permanent',
    'Recipient phone number not in allowed list',
    'While the app is in development mode, WhatsApp only delivers to up to five numbers you have added as test recipients.',
    'Add the number under WhatsApp → API Setup → To, or switch the app to Live mode.',
  ),
  131037: entry(
    'permanent',
    'WhatsApp provided number needs display name approval',
    'The number’s display name has not been approved yet, so it cannot send.',
    'Wait for Meta to approve the display name in WhatsApp Manager → Phone numbers, or submit a new one.',
  ),
  131042: entry(
    'permanent',
    'Business eligibility payment issue',
    'There is a problem with the payment method of the WhatsApp Business account.',
    'Add or fix the payment method in Meta Business Settings → Billing.',
  ),
  131045: entry(
    'permanent',
    'Incorrect certificate',
    'The phone number is not registered with the Cloud API.',
    'Register the number (POST /{phone-number-id}/register) and try again.',
  ),
  131047: entry(
    'permanent',
    'Re-engagement message',
    'More than 24 hours have passed since the customer last wrote, so WhatsApp only allows an approved template.',
    'Send a template (for example connectdesk_reopen); when the customer replies, free-form messages are allowed again.',
  ),
  131050: entry(
    'permanent',
    'User stopped marketing messages',
    'The customer opted out of marketing messages from this business.',
    'Do not send marketing templates to this customer.',
  ),
  131051: entry('permanent', 'Unsupported message type', 'WhatsApp does not support this kind of message.', 'Send text, media or a template instead.'),
  131052: entry('permanent', 'Media download error', 'WhatsApp could not download the media the customer sent.', 'Ask the customer to send the file again.'),
  131053: entry(
    'permanent',
    'Media upload error',
    'The media could not be uploaded: unsupported type or too large.',
    'Use a supported type within WhatsApp’s size limits (images 5 MB, video and audio 16 MB, documents 100 MB).',
  ),
  131057: entry(
    'retry',
    'Account in maintenance mode',
    'The WhatsApp Business account is in maintenance mode (for example a throughput upgrade).',
    'ConnectDesk retries automatically; wait a few minutes.',
  ),
  135000: entry(
    'permanent',
    'Generic user error',
    'WhatsApp could not send the message because of an unknown error with the parameters.',
    'Check the message and retry.',
  ),
};
