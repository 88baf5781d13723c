/**
 * Interactive messages as Meta checks them on send, and a phone's answer to one.
 * - Lists: body ≤ 4096 characters, optional text header and footer ≤ 60, button ≤ 20, 1–10
 *   sections (titled ≤ 24 when more than one), 1–10 rows in all, row ids unique and ≤ 200, row
 *   titles ≤ 24, descriptions ≤ 72.
 * - Reply buttons: body ≤ 1024, 1–3 buttons of type `reply`, ids unique and ≤ 256, titles
 *   unique and ≤ 20.
 * - A user answers by tapping: the webhook carries `interactive.list_reply` `{ id, title,
 *   description? }` or `interactive.button_reply` `{ id, title }` for the row or button tapped, with
 *   `context.id` = the message that offered it. A simulated phone names the choice by id; the
 *   sandbox fills in its title (and description) from that message, as WhatsApp does.
 */
import { metaErrors } from './errors.ts';
import { badInput } from './errors.ts';
import type { Phone } from './state.ts';

const INTERACTIVE_TYPES = new Set(['button', 'list', 'cta_url', 'product', 'product_list', 'flow', 'location_request_message', 'address_message']);

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function limit(value: string | undefined, max: number, where: string): void {
  if (value !== undefined && [...value].length > max) throw metaErrors.invalidValue(`Param ${where} must be at most ${max} characters.`);
}

function required(value: string | undefined, where: string): string {
  if (!value) throw metaErrors.missingParameter(`Param ${where} is required.`);
  return value;
}

function checkList(i: Loose): void {
  const action = obj(i.action) ?? {};
  limit(required(text(obj(i.body)?.text), "interactive['body']['text']"), 4096, "interactive['body']['text']");
  const header = obj(i.header);
  if (header) {
    if (header.type !== 'text') throw metaErrors.invalidValue("Param interactive['header']['type'] must be text for list messages.");
    limit(required(text(header.text), "interactive['header']['text']"), 60, "interactive['header']['text']");
  }
  limit(text(obj(i.footer)?.text), 60, "interactive['footer']['text']");
  limit(required(text(action.button), "interactive['action']['button']"), 20, "interactive['action']['button']");
  const sections = Array.isArray(action.sections) ? action.sections.map((s) => obj(s) ?? {}) : [];
  if (sections.length < 1 || sections.length > 10) throw metaErrors.invalidValue("Param interactive['action']['sections'] must have 1 to 10 sections.");
  const ids = new Set<string>();
  let rows = 0;
  sections.forEach((s, si) => {
    if (sections.length > 1) required(text(s.title), `interactive['action']['sections'][${si}]['title']`);
    limit(text(s.title), 24, `interactive['action']['sections'][${si}]['title']`);
    const list = Array.isArray(s.rows) ? s.rows.map((r) => obj(r) ?? {}) : [];
    if (list.length === 0) throw metaErrors.missingParameter(`Param interactive['action']['sections'][${si}]['rows'] must have at least one row.`);
    list.forEach((r, ri) => {
      const where = `interactive['action']['sections'][${si}]['rows'][${ri}]`;
      const id = required(text(r.id), `${where}['id']`);
      limit(id, 200, `${where}['id']`);
      if (ids.has(id)) throw metaErrors.invalidValue(`Param ${where}['id'] must be unique: "${id}" is used twice.`);
      ids.add(id);
      limit(required(text(r.title), `${where}['title']`), 24, `${where}['title']`);
      limit(text(r.description), 72, `${where}['description']`);
    });
    rows += list.length;
  });
  if (rows > 10) throw metaErrors.invalidValue("Param interactive['action']['sections'] must have at most 10 rows in total.");
}

function checkButtons(i: Loose): void {
  limit(required(text(obj(i.body)?.text), "interactive['body']['text']"), 1024, "interactive['body']['text']");
  limit(text(obj(i.footer)?.text), 60, "interactive['footer']['text']");
  const buttons = Array.isArray(obj(i.action)?.buttons) ? (obj(i.action)!.buttons as unknown[]).map((b) => obj(b) ?? {}) : [];
  if (buttons.length < 1 || buttons.length > 3) throw metaErrors.invalidParameter("Param interactive['action']['buttons'] must have 1 to 3 buttons.");
  const ids = new Set<string>();
  const titles = new Set<string>();
  buttons.forEach((b, bi) => {
    const where = `interactive['action']['buttons'][${bi}]`;
    if (b.type !== 'reply') throw metaErrors.invalidValue(`Param ${where}['type'] must be reply.`);
    const reply = obj(b.reply) ?? {};
    const id = required(text(reply.id), `${where}['reply']['id']`);
    const title = required(text(reply.title), `${where}['reply']['title']`);
    limit(id, 256, `${where}['reply']['id']`);
    limit(title, 20, `${where}['reply']['title']`);
    if (ids.has(id) || titles.has(title)) throw metaErrors.invalidValue(`Param ${where}: button ids and titles must be unique.`);
    ids.add(id);
    titles.add(title);
  });
}

/** Checks an interactive send; returns what the phone's inbox shows as its text. */
export function checkInteractive(i: { type: string } & Loose): string {
  if (!INTERACTIVE_TYPES.has(i.type)) throw metaErrors.invalidParameter(`Param interactive['type'] must be one of ${[...INTERACTIVE_TYPES].join(', ')}.`);
  if (i.type === 'list') checkList(i);
  else if (i.type === 'button') checkButtons(i);
  else if (i.type === 'cta_url') required(text(obj(i.body)?.text), "interactive['body']['text']");
  const bodyText = text(obj(i.body)?.text);
  return bodyText ?? `[interactive ${i.type}]`;
}

/** The choices an interactive message offers: list rows or reply buttons. */
function choicesOf(message: Loose): { kind: 'list_reply' | 'button_reply'; choices: { id: string; title: string; description?: string }[] } | null {
  const i = obj(message.interactive);
  if (i?.type === 'list') {
    const sections = (obj(i.action)?.sections as unknown[] | undefined) ?? [];
    return {
      kind: 'list_reply',
      choices: sections.flatMap((s) =>
        ((obj(s)?.rows as unknown[] | undefined) ?? []).map((r) => obj(r) as { id: string; title: string; description?: string }),
      ),
    };
  }
  if (i?.type === 'button') {
    const buttons = (obj(i.action)?.buttons as unknown[] | undefined) ?? [];
    return { kind: 'button_reply', choices: buttons.map((b) => obj(obj(b)?.reply) as { id: string; title: string }) };
  }
  return null;
}

/**
 * A phone's `interactive` message: a tap on a row or button. When `context.id` names a message
 * this phone received, the choice must be one it offered, and its title (and description) are
 * filled in from it; a mismatching title is refused. Without a known context (none given, or a
 * message from before a restart) the reply goes as given and must carry its own title.
 */
export function completeInteractiveReply(phone: Phone, content: Loose): void {
  const i = obj(content.interactive);
  const kind = i?.type;
  if (kind !== 'list_reply' && kind !== 'button_reply') return; // nfm_reply and others: sent as given
  const reply = obj(i![kind]);
  const id = text(reply?.id);
  if (!id) throw badInput(`interactive.${kind}.id must name the ${kind === 'list_reply' ? 'row' : 'button'} tapped`);
  const contextId = text(obj(content.context)?.id);
  const offered = contextId ? phone.inbox.find((e) => e.wamid === contextId) : undefined;
  if (!offered) {
    if (!text(reply!.title)) throw badInput(`interactive.${kind}.title is required when context.id does not name a message this phone received`);
    return;
  }
  const options = choicesOf(offered.message);
  if (!options || options.kind !== kind)
    throw badInput(`context.id ${contextId} is not ${kind === 'list_reply' ? 'a list' : 'a buttons message'}: a ${kind} answers one`);
  const choice = options.choices.find((c) => c.id === id);
  if (!choice) throw badInput(`"${id}" is not one of the choices that message offered`);
  if (reply!.title !== undefined && reply!.title !== choice.title)
    throw badInput(`interactive.${kind}.title must be the choice's title "${choice.title}" (or left out)`);
  i![kind] = { id: choice.id, title: choice.title, ...(kind === 'list_reply' && choice.description ? { description: choice.description } : {}) };
}
