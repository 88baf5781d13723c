/** Meta's template (132xxx), Flow and registration (133xxx) errors with what to do about each. */
import { entry, type MetaErrorInfo } from './kinds.ts';

export const TEMPLATE_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  132000: entry(
    'permanent',
    'Number of parameters does not match',
    'The template was sent with a different number of parameters than it expects.',
    'Fill in exactly the template’s variables ({{1}}, {{2}}, … or the named ones).',
  ),
  132001: entry(
    'permanent',
    'Template does not exist',
    'The template does not exist in that language or is not approved yet.',
    'Check the name and language in Templates, sync, and wait for approval.',
  ),
  132005: entry('permanent', 'Translated text too long', 'The template text with its parameters is too long.', 'Use shorter parameter values.'),
  132007: entry(
    'permanent',
    'Format character policy violated',
    'A template parameter breaks WhatsApp’s formatting rules (for example new lines or tabs).',
    'Remove new lines, tabs and more than four spaces from the parameters.',
  ),
  132012: entry(
    'permanent',
    'Parameter format does not match',
    'A template parameter has the wrong format (for example text where media is expected).',
    'Check the template’s parameter types.',
  ),
  132015: entry('permanent', 'Template is paused', 'Meta paused this template because of low quality.', 'Edit the template or use another one.'),
  132016: entry('permanent', 'Template is disabled', 'Meta disabled this template because of low quality.', 'Create a new template.'),
  132018: entry(
    'permanent',
    'Template parameter issue',
    'A template parameter breaks WhatsApp’s rules: no new lines, tabs or more than four spaces in a row.',
    'Write each parameter on one line; ConnectDesk flattens the ones it fills in itself.',
  ),
  132068: entry(
    'permanent',
    'Flow is in blocked state',
    'The WhatsApp Flow in this message is blocked.',
    'Fix the Flow in WhatsApp Manager or send another one.',
  ),
  132069: entry(
    'throttle',
    'Flow is in throttled state',
    'The WhatsApp Flow in this message is throttled: too many messages with it were sent in the last hour.',
    'ConnectDesk retries later; fix the Flow’s health in WhatsApp Manager.',
    60 * 60_000,
  ),
};

const REGISTER_FIX = 'Register the number again in WhatsApp Manager (or POST /{phone-number-id}/register) with its two-step verification PIN.';

export const REGISTRATION_ERRORS: Readonly<Record<number, MetaErrorInfo>> = {
  133000: entry(
    'permanent',
    'Incomplete deregistration',
    'A previous deregistration of this number did not finish.',
    'Deregister the number again, then register it.',
  ),
  133001: entry('permanent', 'Decryption error', 'Meta could not decrypt the registration backup.', REGISTER_FIX),
  133002: entry('permanent', 'Backup decryption error', 'Meta could not decrypt the backup data.', REGISTER_FIX),
  133003: entry('permanent', 'Recovery token error', 'The recovery token is not valid.', REGISTER_FIX),
  133004: entry(
    'retry',
    'Server temporarily unavailable',
    'The WhatsApp server for this number is temporarily unavailable.',
    'ConnectDesk retries automatically.',
  ),
  133005: entry(
    'permanent',
    'Two step verification PIN mismatch',
    'The two-step verification PIN is wrong.',
    'Use the right PIN or reset it in WhatsApp Manager.',
  ),
  133006: entry(
    'permanent',
    'Phone number re-verification needed',
    'The number must be verified again before it can be registered.',
    'Verify the number in WhatsApp Manager, then register it.',
  ),
  133008: entry(
    'permanent',
    'Too many two step verification PIN guesses',
    'Too many wrong PINs were tried for this number.',
    'Wait for the period Meta names in the error details, then try again.',
  ),
  133009: entry(
    'permanent',
    'Two step verification PIN guessed too fast',
    'PINs were tried too quickly.',
    'Wait for the period in the error details, then try again.',
  ),
  133010: entry(
    'permanent',
    'Phone number not registered',
    'The business phone number is not registered on the WhatsApp Business Platform.',
    'Register the number with the Cloud API.',
  ),
  133015: entry(
    'permanent',
    'Please wait a few minutes before attempting to register this phone number',
    'The number was deleted recently and cannot be registered yet.',
    'Wait 5 minutes, then register it.',
  ),
};
