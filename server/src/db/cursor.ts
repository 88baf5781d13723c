/** Opaque keyset cursors: base64url of "<epoch-ms>:<id>". */
export function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null): { at: number; id: string } | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([0-9A-Z]{26})$/.exec(text);
  return m ? { at: Number(m[1]), id: m[2]! } : null;
}
