/** The few words the loader needs before the UI (and its dictionaries) load. */
import type { Lang } from '../contract.ts';

export interface LauncherLabels {
  open: string;
  close: string;
  unread: string;
}

const LABELS: Record<Lang, [string, string, string]> = {
  en: ['Open chat', 'Close chat', 'unread messages'],
  es: ['Abrir chat', 'Cerrar chat', 'mensajes sin leer'],
  pt: ['Abrir chat', 'Fechar chat', 'mensagens não lidas'],
  bn: ['চ্যাট খুলুন', 'চ্যাট বন্ধ করুন', 'অপঠিত বার্তা'],
  ar: ['افتح الدردشة', 'أغلق الدردشة', 'رسائل غير مقروءة'],
};

export function launcherLabels(lang: Lang): LauncherLabels {
  const [open, close, unread] = LABELS[lang];
  return { open, close, unread };
}
