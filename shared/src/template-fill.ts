/**
 * Filling a template: from what an agent typed (parameters by position or name, the header's media
 * or location, button values) to the `components` of Meta's send body, with every problem found
 * named (which part, why) so the server can refuse with a clear 422 and the admin can show it
 * before send. Meta's rules: a NAMED template's parameters carry `parameter_name`; a media header
 * needs its image/video/document (an id or a link), a LOCATION header its coordinates; a URL
 * button with `{{1}}` in its link needs the suffix, a COPY_CODE button its code; parameters are one
 * line (no new line, tab or more than four spaces in a row); the filled body is at most 1024
 * characters and the filled text header at most 60.
 */
import { countTemplateParams, isList, namedTemplateParams, renderTemplateText } from './template-render.ts';

export const MAX_TEMPLATE_BODY = 1024;
export const MAX_TEMPLATE_HEADER = 60;
export const MAX_COUPON_CODE = 15;
export const MEDIA_HEADER_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;

/** What a template is, as far as filling it goes (a synced template, or Meta's document of it). */
export interface TemplateSpec {
  name: string;
  parameter_format: string; // POSITIONAL | NAMED
  header_format: string | null; // TEXT | IMAGE | VIDEO | DOCUMENT | LOCATION
  header: string | null; // the header's text, for TEXT
  body: string;
  buttons: readonly { type: string; text: string; url?: string | null }[];
}

export type TemplateValues = readonly string[] | Readonly<Record<string, string>>;

export interface TemplateHeaderFill {
  type: 'image' | 'video' | 'document' | 'location';
  /** A file uploaded to ConnectDesk (`POST /admin/api/media`). */
  media_id?: string;
  /** Or a public https link WhatsApp fetches. */
  link?: string;
  filename?: string;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
}

export interface TemplateButtonFill {
  index: number;
  sub_type: 'quick_reply' | 'url' | 'copy_code';
  value: string;
}

export interface TemplateFill {
  parameters?: TemplateValues;
  header_parameters?: TemplateValues;
  header?: TemplateHeaderFill;
  buttons?: readonly TemplateButtonFill[];
  /** Older shape: the dynamic suffix of the URL buttons, by button index. */
  button_parameters?: readonly string[];
}

export interface TemplateProblem {
  /** `body.customer_name`, `body.2`, `header`, `buttons.1`… */
  field: string;
  message: string;
}

export type TemplateParameter = Record<string, unknown> & { type: string };
export interface TemplateComponent {
  type: 'header' | 'body' | 'button';
  sub_type?: string;
  index?: string;
  parameters: TemplateParameter[];
}

export interface FilledTemplate {
  components: TemplateComponent[];
  /** The body as the customer will read it (missing values stay as `{{…}}`). */
  text: string;
  /** The text header filled, or `[image]`, `[location]`… for the others; null without a header. */
  header: string | null;
  problems: TemplateProblem[];
}

const ONE_LINE = /[\n\t]| {5,}/;
const isNamed = (spec: Pick<TemplateSpec, 'parameter_format'>) => spec.parameter_format.toUpperCase() === 'NAMED';

/** The variables a text takes: names for a NAMED template, `1`…`n` for a positional one. */
export function templateVariables(spec: Pick<TemplateSpec, 'parameter_format'>, text: string | null | undefined): string[] {
  if (isNamed(spec)) return namedTemplateParams(text);
  return Array.from({ length: countTemplateParams(text) }, (_, i) => String(i + 1));
}

/** Does this URL button take a dynamic suffix? */
export const urlButtonIsDynamic = (b: { type: string; url?: string | null }) => b.type.toUpperCase() === 'URL' && /\{\{\s*\w+\s*\}\}/.test(b.url ?? '');

export function fillTemplate(spec: TemplateSpec, fill: TemplateFill): FilledTemplate {
  const problems: TemplateProblem[] = [];
  const components: TemplateComponent[] = [];
  const headerFormat = spec.header_format?.toUpperCase() ?? (spec.header ? 'TEXT' : null);

  // Header
  let header: string | null = null;
  if (headerFormat === 'TEXT') {
    const r = textParams('header', spec, spec.header ?? '', fill.header_parameters, problems);
    header = renderTemplateText(spec.header ?? '', r.values);
    if (r.parameters.length) components.push({ type: 'header', parameters: r.parameters });
    if (header.length > MAX_TEMPLATE_HEADER)
      problems.push({ field: 'header', message: `the filled header is ${header.length} characters; WhatsApp allows ${MAX_TEMPLATE_HEADER}` });
    if (fill.header) problems.push({ field: 'header', message: 'this template has a text header: fill it with header_parameters, not a file or location' });
  } else if (headerFormat) {
    header = `[${headerFormat.toLowerCase()}]`;
    const param = headerParam(headerFormat, fill.header, problems);
    if (param) components.push({ type: 'header', parameters: [param] });
    if (hasValues(fill.header_parameters))
      problems.push({ field: 'header', message: `this template's header is ${article(headerFormat)}, it takes no text parameters` });
  } else {
    if (fill.header) problems.push({ field: 'header', message: 'this template has no header' });
    if (hasValues(fill.header_parameters)) problems.push({ field: 'header', message: 'this template has no header' });
  }

  // Body
  const body = textParams('body', spec, spec.body, fill.parameters, problems);
  if (body.parameters.length) components.push({ type: 'body', parameters: body.parameters });
  const text = renderTemplateText(spec.body, body.values);
  if (text.length > MAX_TEMPLATE_BODY)
    problems.push({ field: 'body', message: `the filled text is ${text.length} characters; WhatsApp allows ${MAX_TEMPLATE_BODY}` });

  // Buttons
  const given: TemplateButtonFill[] = [...(fill.buttons ?? [])];
  fill.button_parameters?.forEach((value, index) => {
    if (value !== '' && !given.some((b) => b.index === index)) given.push({ index, sub_type: 'url', value });
  });
  spec.buttons.forEach((b, index) => {
    const type = b.type.toUpperCase();
    const mine = given.filter((g) => g.index === index);
    const field = `buttons.${index}`;
    const label = `button ${index + 1} (“${b.text}”)`;
    if (mine.length > 1) problems.push({ field, message: `${label} is filled more than once` });
    const g = mine[0];
    const expected = type === 'URL' ? 'url' : type === 'COPY_CODE' ? 'copy_code' : type === 'QUICK_REPLY' ? 'quick_reply' : null;
    if (g && g.sub_type !== expected) {
      problems.push({
        field,
        message: `${label} is a ${type.toLowerCase().replace('_', ' ')} button${expected ? ` (sub_type ${expected})` : ' and takes no value'}, not ${g.sub_type}`,
      });
      return;
    }
    if (type === 'URL') {
      if (!urlButtonIsDynamic(b)) {
        if (g) problems.push({ field, message: `${label} has a fixed link and takes no value` });
        return;
      }
      const v = g?.value.trim() ?? '';
      if (!v) problems.push({ field, message: `${label} needs the end of its link (${b.url})` });
      else if (/\s/.test(v)) problems.push({ field, message: `${label}: the end of a link cannot contain spaces` });
      else components.push({ type: 'button', sub_type: 'url', index: String(index), parameters: [{ type: 'text', text: v }] });
    } else if (type === 'COPY_CODE') {
      const v = g?.value.trim() ?? '';
      if (!v) problems.push({ field, message: `${label} needs the code to copy` });
      else if (v.length > MAX_COUPON_CODE)
        problems.push({ field, message: `${label}: the code is ${v.length} characters; WhatsApp allows ${MAX_COUPON_CODE}` });
      else components.push({ type: 'button', sub_type: 'copy_code', index: String(index), parameters: [{ type: 'coupon_code', coupon_code: v }] });
    } else if (type === 'QUICK_REPLY') {
      if (g?.value) components.push({ type: 'button', sub_type: 'quick_reply', index: String(index), parameters: [{ type: 'payload', payload: g.value }] });
    }
  });
  for (const g of given) {
    if (!Number.isInteger(g.index) || g.index < 0 || g.index >= spec.buttons.length)
      problems.push({
        field: `buttons.${g.index}`,
        message: `this template has ${spec.buttons.length} button${spec.buttons.length === 1 ? '' : 's'}; there is no button ${g.index + 1}`,
      });
  }
  return { components, text, header, problems };
}

function hasValues(v: TemplateValues | undefined): boolean {
  return v !== undefined && (isList(v) ? v.length > 0 : Object.keys(v).length > 0);
}

const article = (format: string) => (/^[AEIOU]/.test(format) ? `an ${format.toLowerCase()}` : `a ${format.toLowerCase()}`);

/** Text parameters of the header or the body, checked against the variables the text has. */
function textParams(
  where: 'header' | 'body',
  spec: TemplateSpec,
  text: string,
  given: TemplateValues | undefined,
  problems: TemplateProblem[],
): { parameters: TemplateParameter[]; values: Record<string, string> | string[] } {
  const named = isNamed(spec);
  const variables = templateVariables(spec, text);
  const values: Record<string, string> = {};
  if (given === undefined) {
    // nothing given
  } else if (isList(given)) {
    if (named && given.length) {
      problems.push({ field: where, message: `this template takes named parameters (${variables.join(', ') || 'none'}): give them by name` });
      return { parameters: [], values: {} };
    }
    given.forEach((v, i) => (values[String(i + 1)] = v));
  } else {
    for (const [k, v] of Object.entries(given)) values[k] = v;
  }
  const keys = Object.keys(values);
  const countWrong = !named && keys.length !== variables.length && keys.every((k) => /^\d+$/.test(k));
  if (countWrong && keys.length !== variables.length && keys.every((k) => /^\d+$/.test(k))) {
    const n = variables.length;
    problems.push({ field: where, message: `the ${where} takes ${n} parameter${n === 1 ? '' : 's'}${n ? ` ({{1}}…{{${n}}})` : ''}, got ${keys.length}` });
  } else {
    const list = variables.map((v) => `{{${v}}}`).join(', ');
    for (const k of keys.filter((k) => !variables.includes(k)))
      problems.push({ field: `${where}.${k}`, message: `the ${where} has no parameter {{${k}}}${list ? ` (it has ${list})` : ''}` });
  }
  const parameters: TemplateParameter[] = [];
  for (const name of variables) {
    const v = values[name];
    const field = `${where}.${name}`;
    if (v === undefined || !v.trim()) {
      if (countWrong && v === undefined) continue;
      problems.push({ field, message: `{{${name}}} in the ${where} ${v === undefined ? 'is missing' : 'is empty'}` });
      continue;
    }
    if (ONE_LINE.test(v)) {
      problems.push({
        field,
        message: `{{${name}}} in the ${where} must be one line: no new lines, tabs or more than 4 spaces in a row (WhatsApp refuses them)`,
      });
      continue;
    }
    parameters.push(named ? { type: 'text', parameter_name: name, text: v } : { type: 'text', text: v });
  }
  return { parameters, values: named ? values : variables.map((n) => values[n] ?? `{{${n}}}`) };
}

function headerParam(format: string, header: TemplateHeaderFill | undefined, problems: TemplateProblem[]): TemplateParameter | null {
  const kind = format.toLowerCase() as TemplateHeaderFill['type'];
  if (!header) {
    problems.push({
      field: 'header',
      message:
        format === 'LOCATION'
          ? 'this template’s header is a location: give its latitude and longitude'
          : `this template’s header is ${article(format)}: choose a file or give a link`,
    });
    return null;
  }
  if (header.type !== kind) {
    problems.push({ field: 'header', message: `this template’s header is ${article(format)}, not ${article(header.type.toUpperCase())}` });
    return null;
  }
  if (kind === 'location') {
    const l = header.location;
    if (!l || !Number.isFinite(l.latitude) || !Number.isFinite(l.longitude) || Math.abs(l.latitude) > 90 || Math.abs(l.longitude) > 180) {
      problems.push({ field: 'header', message: 'the location needs a latitude (-90…90) and a longitude (-180…180)' });
      return null;
    }
    return {
      type: 'location',
      location: { latitude: l.latitude, longitude: l.longitude, ...(l.name ? { name: l.name } : {}), ...(l.address ? { address: l.address } : {}) },
    };
  }
  if (Boolean(header.media_id) === Boolean(header.link)) {
    problems.push({
      field: 'header',
      message: `give the header ${kind} either an uploaded file (media_id) or a link, not ${header.media_id ? 'both' : 'neither'}`,
    });
    return null;
  }
  if (header.link && !/^https:\/\/\S+$/i.test(header.link)) {
    problems.push({ field: 'header', message: 'the header link must be an https:// address WhatsApp can fetch' });
    return null;
  }
  const media: Record<string, unknown> = header.media_id ? { id: header.media_id } : { link: header.link };
  if (kind === 'document' && header.filename) media.filename = header.filename;
  return { type: kind, [kind]: media };
}
