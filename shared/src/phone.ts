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

/** The two-digit country calling codes; 1 and 7 are one digit, every other code has three. */
const TWO_DIGIT_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/** The country calling code of a WhatsApp id: "447700900123" → "44", "15550102030" → "1"; null when not a number. */
export function callingCode(waId: string | null | undefined): string | null {
  if (!waId || !/^[1-9]\d{6,14}$/.test(waId)) return null;
  if (waId[0] === '1' || waId[0] === '7') return waId[0];
  const two = waId.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? two : waId.slice(0, 3);
}
