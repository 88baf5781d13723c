/**
 * WhatsApp ids (`wa_id`) are phone numbers in international format with digits only:
 * "+1 (555) 010-2030" → "15550102030". Returns null when it cannot be a phone number
 * (E.164 allows at most 15 digits; we require at least 7).
 */
export function normalizeWaId(input: string | null | undefined): string | null {
  if (!input) return null;
  const trimmed = input.trim();
  if (!/^[+\d][\d\s().-]*$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('00')) digits = digits.slice(2);
  if (digits.length < 7 || digits.length > 15) return null;
  if (digits.startsWith('0')) return null;
  return digits;
}

/** "15550102030" → "+15550102030" for display. */
export function formatWaId(waId: string): string {
  return `+${waId}`;
}
