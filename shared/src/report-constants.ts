/** Constants of the reports and the survey that front ends import at run time (no zod here). */

/** What each rating means, as the widget and the WhatsApp list show it. */
export const RATING_LABELS: Readonly<Record<1 | 2 | 3 | 4 | 5, string>> = {
  1: 'Very poor',
  2: 'Poor',
  3: 'Okay',
  4: 'Good',
  5: 'Excellent',
};

/** Meta's pricing categories (per-message pricing since 2025-07-01). */
export const PRICING_CATEGORIES = [
  'marketing',
  'utility',
  'authentication',
  'authentication_international',
  'service',
  'referral_conversion',
  'marketing_lite',
] as const;

/** The longest period one report covers. */
export const REPORT_MAX_DAYS = 366;
