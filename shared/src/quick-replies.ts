/**
 * Quick replies between the API's shape and Meta's: the `interactive` object an agent's buttons or
 * list become (stored as the message's `content.interactive` on both channels and sent as is to
 * WhatsApp), the options such a message offers, and the choice an answer carries. Pure, no zod:
 * the widget and the admin app use these too.
 */

/** Meta's limits for reply buttons and lists (characters). */
export const QUICK_REPLY_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  buttonsBody: 1024,
  listBody: 4096,
  listButton: 20,
  sections: 10,
  rows: 10,
  rowTitle: 24,
  rowId: 200,
  rowDescription: 72,
  sectionTitle: 24,
} as const;

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface QuickReplyOption {
  id: string;
  title: string;
  description?: string;
}

/** What an interactive agent message offers: chips (`buttons`) or a list opened by `button`. */
export interface QuickReplyOffer {
  kind: 'buttons' | 'list';
  body: string;
  /** The list's button label (lists only). */
  button?: string;
  sections: { title?: string; options: QuickReplyOption[] }[];
}

/** An agent's buttons or list, as the API takes them (contract/quick-replies.ts validates them). */
type QuickReplySend =
  | { kind: 'buttons'; body: string; buttons: readonly { id: string; title: string }[] }
  | { kind: 'list'; body: string; button: string; sections: readonly { title?: string; rows: readonly QuickReplyOption[] }[] };

/** The Cloud API `interactive` object for an agent's buttons or list. */
export function interactiveObject(send: QuickReplySend): Record<string, unknown> {
  if (send.kind === 'buttons')
    return {
      type: 'button',
      body: { text: send.body },
      action: { buttons: send.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
    };
  return {
    type: 'list',
    body: { text: send.body },
    action: {
      button: send.button,
      sections: send.sections.map((s) => ({
        ...(s.title ? { title: s.title } : {}),
        rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
      })),
    },
  };
}

/** The buttons or list rows a message's content offers (`content.interactive` of type `button` / `list`), or null. */
export function quickReplyOffer(content: unknown): QuickReplyOffer | null {
  const i = obj(obj(content)?.interactive);
  const action = obj(i?.action);
  const body = str(obj(i?.body)?.text) ?? '';
  const option = (o: Loose | undefined): QuickReplyOption | null => {
    const id = str(o?.id);
    const title = str(o?.title);
    if (!id || !title) return null;
    const description = str(o?.description);
    return description ? { id, title, description } : { id, title };
  };
  const present = <T>(x: T | null): x is T => x !== null;
  if (i?.type === 'button') {
    const options = arr(action?.buttons)
      .map((b) => option(obj(obj(b)?.reply)))
      .filter(present);
    return options.length ? { kind: 'buttons', body, sections: [{ options }] } : null;
  }
  if (i?.type === 'list') {
    const sections = arr(action?.sections).map((s) => ({
      title: str(obj(s)?.title),
      options: arr(obj(s)?.rows)
        .map((r) => option(obj(r)))
        .filter(present),
    }));
    return sections.some((s) => s.options.length) ? { kind: 'list', body, button: str(action?.button), sections } : null;
  }
  return null;
}

/** The option of `offer` with this id, or null. */
export function offeredOption(offer: QuickReplyOffer, id: string): QuickReplyOption | null {
  for (const s of offer.sections) for (const o of s.options) if (o.id === id) return o;
  return null;
}

/**
 * The choice a stored answer carries: Meta's `interactive.button_reply` / `list_reply`, or the
 * older `button` message (a template's quick-reply button: `payload` and `text`). Null otherwise.
 */
export function interactiveReplyOf(type: string, content: unknown): { id: string; title: string } | null {
  const c = obj(content);
  if (type === 'button') {
    const b = obj(c?.button);
    const title = str(b?.text);
    const id = str(b?.payload) ?? title;
    return id && title ? { id, title } : null;
  }
  if (type !== 'interactive') return null;
  const i = obj(c?.interactive);
  const kind = str(i?.type);
  if (kind !== 'button_reply' && kind !== 'list_reply') return null;
  const reply = obj(i?.[kind]);
  const id = str(reply?.id);
  const title = str(reply?.title);
  return id && title ? { id, title } : null;
}
