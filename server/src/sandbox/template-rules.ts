/**
 * The checks Meta makes on a template send, with Meta's codes: 132001 unknown name or language
 * (or not approved), 132015 paused, 132016 disabled; 132000 wrong number of parameters; 132012 a
 * parameter of the wrong format (a positional one in a NAMED template, text for an image header,
 * a video for an image…); 131008 a required value missing (the header's media, a dynamic URL
 * suffix, a coupon code, an empty text); 131009 a value that is not valid (no such button, an
 * unknown media id, a bad link or location, an unknown parameter name); 132018 a body or header
 * parameter with a new line, tab or more than four spaces in a row; 132005 a filled body longer
 * than 1024 characters.
 */
import { namedTemplateParams, renderTemplateText, countTemplateParams, type SendMessage } from '@connectdesk/shared';
import { metaErrors } from './errors.ts';
import type { InboxEntry, SandboxState } from './state.ts';
import { componentOf, type BookTemplate, type TemplateBook } from './template-book.ts';
import type { CatalogButton } from './templates-catalog.ts';

type Param = Record<string, unknown> & { type?: string; text?: string; parameter_name?: string };
type SentComponent = { type: string; sub_type?: string; index?: string | number; parameters?: Param[] };
type TemplateView = NonNullable<InboxEntry['template']>;

const MAX_BODY = 1024;
const ONE_LINE = /[\n\t]| {5,}/;
const HEADER_MEDIA = new Set(['IMAGE', 'VIDEO', 'DOCUMENT']);

export function checkTemplate(msg: SendMessage, book: TemplateBook, state: SandboxState): { template: BookTemplate; view: TemplateView } {
  const t = msg.template!;
  const lang = t.language.code;
  const found = book.find(t.name, lang);
  if (!found) throw metaErrors.templateMissing(t.name, lang);
  if (found.status === 'PAUSED') throw metaErrors.templatePaused(t.name);
  if (found.status === 'DISABLED') throw metaErrors.templateDisabled(t.name);
  if (found.status !== 'APPROVED') throw metaErrors.templateMissing(t.name, lang);

  const sent = (t.components ?? []) as SentComponent[];
  for (const c of sent)
    if (!['header', 'body', 'button'].includes(String(c.type).toLowerCase()))
      throw metaErrors.invalidParameter(`Component type ${c.type} cannot have parameters.`);
  const of = (type: string) => sent.filter((c) => String(c.type).toLowerCase() === type).flatMap((c) => c.parameters ?? []);
  const named = found.parameter_format === 'NAMED';

  const view: TemplateView = { name: found.name, language: found.language, parameters: [], text: '' };

  // Header
  const header = componentOf(found, 'HEADER');
  const headerParams = of('header');
  if (!header) {
    if (headerParams.length) throw metaErrors.paramCount('header', headerParams.length, 0);
  } else if ((header.format ?? 'TEXT') === 'TEXT') {
    const values = textValues('header', header.text ?? '', headerParams, named);
    view.header = renderTemplateText(header.text ?? '', values);
  } else {
    view.header = `[${header.format!.toLowerCase()}]`;
    const kind = header.format!.toLowerCase();
    if (headerParams.length === 0) throw metaErrors.missingParameter(`header: a ${kind} parameter is required by template ${found.name}.`);
    if (headerParams.length > 1) throw metaErrors.paramCount('header', headerParams.length, 1);
    const p = headerParams[0]!;
    if (p.type !== kind) throw metaErrors.formatMismatch(`header: expected a parameter of type ${kind}, got ${p.type}.`);
    view.header_parameter = { type: kind, [kind]: p[kind] };
    if (HEADER_MEDIA.has(header.format!)) checkMedia(kind, p[kind], state);
    else checkLocation(p.location);
  }

  // Body
  const bodyText = componentOf(found, 'BODY')?.text ?? '';
  const values = textValues('body', bodyText, of('body'), named);
  if (Array.isArray(values)) view.parameters = values;
  else {
    view.named_parameters = values;
    view.parameters = namedTemplateParams(bodyText).map((n) => values[n]!);
  }
  view.text = renderTemplateText(bodyText, values);
  if (view.text.length > MAX_BODY) throw metaErrors.textTooLong(view.text.length, MAX_BODY);

  // Buttons
  const buttons = componentOf(found, 'BUTTONS')?.buttons ?? [];
  const given = sent.filter((c) => String(c.type).toLowerCase() === 'button');
  const values_: NonNullable<TemplateView['button_values']> = [];
  for (const c of given) {
    const index = Number(c.index ?? -1);
    const b = Number.isInteger(index) ? buttons[index] : undefined;
    if (!b) throw metaErrors.invalidValue(`button at index ${c.index} does not exist in template ${found.name}.`);
    values_.push({ index, sub_type: String(c.sub_type ?? ''), value: buttonValue(b, c, found.name) });
  }
  buttons.forEach((b, index) => {
    if (given.some((c) => Number(c.index) === index)) return;
    if (b.type === 'URL' && /\{\{/.test(b.url ?? '')) throw metaErrors.missingParameter(`button at index ${index}: the URL suffix parameter is required.`);
    if (b.type === 'COPY_CODE') throw metaErrors.missingParameter(`button at index ${index}: the coupon_code parameter is required.`);
  });

  const footer = componentOf(found, 'FOOTER')?.text;
  if (footer) view.footer = footer;
  if (buttons.length) view.buttons = buttons.map((b) => b.text);
  if (values_.length) view.button_values = values_;
  return { template: found, view };
}

/** Body or text-header parameters: by position, or by name in a NAMED template. */
function textValues(where: string, text: string, params: Param[], named: boolean): string[] | Record<string, string> {
  for (const [i, p] of params.entries()) {
    if (p.type !== 'text' && p.type !== 'currency' && p.type !== 'date_time')
      throw metaErrors.formatMismatch(`${where}: parameter ${i + 1} must be of type text, got ${p.type}.`);
    if (named && !p.parameter_name) throw metaErrors.formatMismatch(`${where}: template uses named parameters; parameter ${i + 1} has no parameter_name.`);
    if (!named && p.parameter_name !== undefined)
      throw metaErrors.formatMismatch(`${where}: template uses positional parameters; parameter ${i + 1} has a parameter_name.`);
  }
  const expected = named ? namedTemplateParams(text) : Array.from({ length: countTemplateParams(text) }, (_, i) => String(i + 1));
  if (params.length !== expected.length) throw metaErrors.paramCount(where, params.length, expected.length);
  const out: Record<string, string> = {};
  params.forEach((p, i) => {
    const key = named ? p.parameter_name! : String(i + 1);
    if (!expected.includes(key)) throw metaErrors.invalidValue(`${where}: parameter name ${key} is not in the template (expected ${expected.join(', ')}).`);
    const v =
      p.text ??
      (p.currency as { fallback_value?: string } | undefined)?.fallback_value ??
      (p.date_time as { fallback_value?: string } | undefined)?.fallback_value;
    if (v === undefined || v === '') throw metaErrors.missingParameter(`${where}: parameter ${named ? key : i + 1} has no value.`);
    if (ONE_LINE.test(v)) throw metaErrors.paramFormat(where, i + 1);
    out[key] = v;
  });
  return named ? out : expected.map((k) => out[k]!);
}

function checkMedia(kind: string, media: unknown, state: SandboxState): void {
  const m = (media ?? {}) as { id?: unknown; link?: unknown };
  if (m.id === undefined && m.link === undefined) throw metaErrors.missingParameter(`header: ${kind} needs an id or a link.`);
  if (m.id !== undefined && m.link !== undefined) throw metaErrors.invalidValue(`header: ${kind} takes an id or a link, not both.`);
  if (m.id !== undefined) {
    const id = typeof m.id === 'string' ? m.id : JSON.stringify(m.id);
    const stored = state.getMedia(id);
    if (!stored) throw metaErrors.invalidValue(`header: ${kind}['id'] ${id} is not a valid media id.`);
    if (!stored.mimeType.startsWith(kind === 'document' ? '' : `${kind}/`))
      throw metaErrors.formatMismatch(`header: media ${id} is ${stored.mimeType}, not a ${kind}.`);
  } else if (typeof m.link !== 'string' || !/^https?:\/\/[^\s/]+\/?\S*$/i.test(m.link)) {
    throw metaErrors.invalidValue(`header: ${kind}['link'] must be an http(s) URL.`);
  }
}

function checkLocation(location: unknown): void {
  const l = (location ?? {}) as { latitude?: unknown; longitude?: unknown };
  if (l.latitude === undefined || l.longitude === undefined) throw metaErrors.missingParameter('header: location needs latitude and longitude.');
  const lat = Number(l.latitude);
  const lon = Number(l.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    throw metaErrors.invalidValue('header: location latitude must be within -90..90 and longitude within -180..180.');
}

/** A button component's value, checked against the template's button at that index. */
function buttonValue(b: CatalogButton, c: SentComponent, name: string): string {
  const sub = String(c.sub_type ?? '').toLowerCase();
  const expected = b.type === 'URL' ? 'url' : b.type === 'COPY_CODE' ? 'copy_code' : b.type === 'QUICK_REPLY' ? 'quick_reply' : null;
  if (!expected) throw metaErrors.invalidValue(`button at index ${c.index} of template ${name} is a ${b.type} button and takes no parameters.`);
  if (sub !== expected)
    throw metaErrors.invalidValue(`button at index ${c.index} of template ${name} is a ${b.type} button: sub_type must be ${expected}, got ${c.sub_type}.`);
  const params = c.parameters ?? [];
  if (params.length !== 1) throw metaErrors.paramCount(`button ${c.index}`, params.length, 1);
  const p = params[0]!;
  const wanted = { url: 'text', copy_code: 'coupon_code', quick_reply: 'payload' }[expected];
  if (p.type !== wanted) throw metaErrors.formatMismatch(`button at index ${c.index}: parameter must be of type ${wanted}, got ${p.type}.`);
  const v = p[wanted === 'text' ? 'text' : wanted];
  if (typeof v !== 'string' || v === '') throw metaErrors.missingParameter(`button at index ${c.index}: parameter ${wanted} has no value.`);
  if (expected === 'url' && !/\{\{/.test(b.url ?? '')) throw metaErrors.invalidValue(`button at index ${c.index} has a fixed URL and takes no parameter.`);
  if (expected === 'copy_code' && v.length > 15) throw metaErrors.invalidValue(`button at index ${c.index}: coupon_code must be at most 15 characters.`);
  return v;
}
