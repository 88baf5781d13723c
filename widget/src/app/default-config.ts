/**
 * The settings the chat UI falls back on when the server could not be asked (the loader keeps
 * only colour and position, to stay small). The default greeting and away message are shown in
 * the visitor's language.
 */
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { LoaderConfig } from '../contract.ts';

export const DEFAULT_CONFIG: WidgetConfigJson = {
  site_name: '',
  color: '#0b57d0',
  position: 'right',
  greeting: 'Hi! How can we help you today?',
  away_message: 'We are away right now. Leave a message and we will get back to you.',
  ask_name: false,
  ask_email: false,
  ask_whatsapp: true,
  whatsapp_handoff: true,
  theme: 'auto',
  online: true,
  agents_online: false,
  next_open_at: null,
  whatsapp_number: null,
};

export function withDefaults(config: LoaderConfig): WidgetConfigJson {
  return { ...DEFAULT_CONFIG, ...config };
}
