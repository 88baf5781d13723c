/**
 * Field rules used by more than one wire format: one definition each, so HTTP and the sockets
 * accept and refuse exactly the same values.
 */
import { z } from 'zod';
import { normalizeWaId } from '../phone.ts';
import { isReactionEmoji, MAX_REACTION_LENGTH } from '../reaction-emoji.ts';

export const MAX_TEXT = 4096;

export const PHONE_FORMAT_MESSAGE = 'must be a phone number in international format, like +44 7700 900123';

/** A message body: at most 4,096 characters and not only whitespace (kept as typed). */
export const messageText = z
  .string()
  .max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`)
  .refine((s) => s.trim().length > 0, 'text must not be empty');

export const visitorName = z.string().trim().max(100);

/** A visitor's e-mail: a valid address, or empty for "none given". */
export const visitorEmail = z.string().trim().max(254).email('email is not a valid address').or(z.literal(''));

/**
 * The phone rule: a number `normalizeWaId` accepts ("+44 7700 900123", "0044…", digits with
 * spaces, dots, dashes or brackets), or empty for "none given". Kept as typed; normalise with
 * `normalizeWaId` where the digits are needed.
 */
export const phoneNumber = z
  .string()
  .trim()
  .max(32)
  .refine((p) => p === '' || normalizeWaId(p) !== null, PHONE_FORMAT_MESSAGE)
  .describe('A phone number in international format, like +44 7700 900123 (or empty)');

/** The same rule, read as the WhatsApp id (digits) it names; empty becomes null. */
export const phoneAsWaId = z
  .string()
  .trim()
  .max(32)
  .transform((s, c) => {
    if (s === '') return null;
    const waId = normalizeWaId(s);
    if (!waId) {
      c.addIssue({ code: 'custom', message: PHONE_FORMAT_MESSAGE });
      return z.NEVER;
    }
    return waId;
  })
  .describe('A phone number in international format, like +44 7700 900123 (or empty for none); stored as digits');

export const visitorToken = z.string().min(16).max(128);
export const clientId = z.string().min(1).max(64);
export const pageUrl = z.string().max(2048);

/** An id in a path or a body (ULID-like strings; never trusted beyond their length). */
export const entityId = z.string().min(1).max(64);

export const isoDateTime = z.string().describe('ISO 8601 date-time');

/** A reaction: one emoji (shared/reaction-emoji.ts), or "" to take it back. */
export const reactionEmoji = z
  .string()
  .max(MAX_REACTION_LENGTH)
  .refine(isReactionEmoji, 'emoji must be a single emoji (or "" to remove the reaction)')
  .describe('One emoji (a single grapheme), or "" to take the reaction back');
