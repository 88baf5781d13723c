/**
 * localStorage under namespaced keys (`connectdesk:*`). Storage can be missing or throw (privacy
 * modes, sandboxed frames, quota); the widget then keeps working for the page's lifetime.
 */
export const KEYS = {
  token: 'connectdesk:visitor_token',
  /** Set once the visitor has written: a returning visitor gets live replies without opening. */
  active: 'connectdesk:active',
  outbox: 'connectdesk:outbox',
  seen: 'connectdesk:seen_at',
  identity: 'connectdesk:identity',
  /** The optional pre-chat form was saved or skipped. */
  intro: 'connectdesk:intro_done',
} as const;

export interface Store {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

export function browserStore(win: Window): Store {
  const memory = new Map<string, string>();
  const ls = (): Storage | null => {
    try {
      return win.localStorage;
    } catch {
      return null;
    }
  };
  return {
    get(key) {
      try {
        return ls()?.getItem(key) ?? memory.get(key) ?? null;
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key, value) {
      if (value === null) memory.delete(key);
      else memory.set(key, value);
      try {
        if (value === null) ls()?.removeItem(key);
        else ls()?.setItem(key, value);
      } catch {
        /* quota or disabled storage: the in-memory copy serves this page */
      }
    },
  };
}
