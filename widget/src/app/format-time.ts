/** "14:05" today, "3 Mar, 14:05" on other days, in the widget's language. */
export function formatTime(iso: string, lang: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === now.toDateString();
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(lang, opts).format(d);
  } catch {
    return d.toISOString().slice(11, 16);
  }
}
