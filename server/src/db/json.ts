/** Row-level helpers shared by the repositories: JSON columns and epoch-ms times. */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** bigint columns come back as strings from pg and numbers from sqlite. */
export function ms(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function iso(value: unknown): string | null {
  const n = ms(value);
  return n === null ? null : new Date(n).toISOString();
}

export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}
