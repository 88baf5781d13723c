/**
 * Quick replies: reply buttons and lists an agent offers, with Meta's documented limits (counted
 * in characters, as WhatsApp counts them), and the answer a customer or visitor gives.
 * - Reply buttons: 1–3 buttons; ids unique and ≤ 256; titles unique and ≤ 20; body ≤ 1024.
 * - Lists: body ≤ 4096; button label ≤ 20; 1–10 sections holding at most 10 rows in all; section
 *   titles ≤ 24 (required when there is more than one section); row ids unique and ≤ 200; row
 *   titles ≤ 24; descriptions ≤ 72.
 * The same message goes to WhatsApp as Meta's `interactive` `button` / `list` and to the widget,
 * which shows chips or a list; the answer is a message carrying `interactive_reply: { id, title }`.
 */
import { z } from 'zod';
import { QUICK_REPLY_LIMITS } from '../quick-replies.ts';

export { QUICK_REPLY_LIMITS };

const chars = (s: string) => [...s].length;

/** A required, non-blank string of at most `max` characters (kept as typed). */
function label(what: string, max: number) {
  return z
    .string()
    .refine((s) => s.trim().length > 0, `${what} must not be empty`)
    .refine((s) => chars(s) <= max, `${what} must be at most ${max} characters`);
}

const L = QUICK_REPLY_LIMITS;

export const ReplyButtonSchema = z.object({ id: label('button id', L.buttonId), title: label('button title', L.buttonTitle) });
export type ReplyButton = z.infer<typeof ReplyButtonSchema>;

/** 1–3 reply buttons with unique ids and titles (what canned responses carry, too). */
export const ReplyButtonsSchema = z
  .array(ReplyButtonSchema)
  .min(1, 'at least one button is required')
  .max(L.buttons, `at most ${L.buttons} buttons`)
  .superRefine((buttons, ctx) => {
    const ids = new Set<string>();
    const titles = new Set<string>();
    buttons.forEach((b, i) => {
      if (ids.has(b.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `button id "${b.id}" is used twice; ids must be unique` });
      if (titles.has(b.title)) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `button title "${b.title}" is used twice; titles must be unique` });
      ids.add(b.id);
      titles.add(b.title);
    });
  });

export const InteractiveButtonsSchema = z.object({
  kind: z.literal('buttons'),
  body: label('body', L.buttonsBody),
  buttons: ReplyButtonsSchema,
});

export const ListRowSchema = z.object({
  id: label('row id', L.rowId),
  title: label('row title', L.rowTitle),
  description: z
    .string()
    .refine((s) => chars(s) <= L.rowDescription, `row description must be at most ${L.rowDescription} characters`)
    .optional(),
});

export const ListSectionSchema = z.object({
  title: label('section title', L.sectionTitle).optional(),
  rows: z.array(ListRowSchema).min(1, 'a section needs at least one row'),
});

export const InteractiveListSchema = z.object({
  kind: z.literal('list'),
  body: label('body', L.listBody),
  /** The label of the button that opens the list. */
  button: label('button', L.listButton),
  sections: z
    .array(ListSectionSchema)
    .min(1, 'at least one section is required')
    .max(L.sections, `at most ${L.sections} sections`)
    .superRefine((sections, ctx) => {
      const rows = sections.reduce((n, s) => n + s.rows.length, 0);
      if (rows > L.rows) ctx.addIssue({ code: 'custom', message: `at most ${L.rows} rows in all (${rows} given)` });
      if (sections.length > 1)
        sections.forEach((s, i) => {
          if (!s.title) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: 'each section needs a title when there is more than one' });
        });
      const ids = new Set<string>();
      sections.forEach((s, si) =>
        s.rows.forEach((r, ri) => {
          if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: [si, 'rows', ri, 'id'], message: `row id "${r.id}" is used twice; ids must be unique` });
          ids.add(r.id);
        }),
      );
    }),
});

/** `interactive` of `POST /admin/api/conversations/:id/messages` with `message_type: "interactive"`. */
export const InteractiveSendSchema = z.discriminatedUnion('kind', [InteractiveButtonsSchema, InteractiveListSchema]).meta({ id: 'InteractiveSend' });
export type InteractiveSend = z.infer<typeof InteractiveSendSchema>;

export const InteractiveMessageSendSchema = z.object({ message_type: z.literal('interactive'), interactive: InteractiveSendSchema });

/** The option a visitor or customer picked: a button's or a row's id and title. */
export const InteractiveReplyJsonSchema = z.object({ id: z.string(), title: z.string() }).meta({ id: 'InteractiveReply' });
export type InteractiveReplyJson = z.infer<typeof InteractiveReplyJsonSchema>;

/** The widget's `message:send` choice: which option of which agent message. */
export const QuickReplyChoiceSchema = z.object({
  message_id: z.string().min(1).max(64),
  id: z.string().min(1).max(L.buttonId),
});
export type QuickReplyChoice = z.infer<typeof QuickReplyChoiceSchema>;
