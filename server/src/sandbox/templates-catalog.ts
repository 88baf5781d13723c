/**
 * The templates the sandbox's WhatsApp Business Account has: the guide's approved ones (section
 * 12.3), Meta's `hello_world`, the two templates ConnectDesk asks owners to submit (the forward
 * of a visitor message and the digest of several, for when the owner's own window is closed), and
 * two that cannot be sent (one still PENDING, one only in Spanish) so 132001 can be exercised.
 */
export interface CatalogButton {
  type: 'QUICK_REPLY' | 'URL';
  text: string;
  url?: string;
}

export interface CatalogComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT';
  text?: string;
  buttons?: CatalogButton[];
}

export interface CatalogTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  components: CatalogComponent[];
  quality_score: { score: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' };
}

const body = (text: string): CatalogComponent => ({ type: 'BODY', text });
const footer = (text: string): CatalogComponent => ({ type: 'FOOTER', text });

export const TEMPLATE_CATALOG: readonly CatalogTemplate[] = [
  {
    id: '1000000000000001',
    name: 'hello_world',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      body(
        'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      ),
      footer('WhatsApp Business Platform sample message'),
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000002',
    name: 'connectdesk_welcome',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [body('Hello {{1}}! 👋 Welcome to ConnectDesk support. How can we help you today?'), footer('Powered by ConnectDesk')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000003',
    name: 'connectdesk_followup',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      body(
        'Hi {{1}}, this is a follow-up from ConnectDesk support regarding your recent inquiry. Please reply to continue the conversation, or let us know if your issue is resolved. Thank you!',
      ),
      footer('ConnectDesk Support'),
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000004',
    name: 'connectdesk_reopen',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      body("Hi {{1}}, we'd like to follow up on your previous conversation. Please reply to this message if you need further assistance. We're here to help!"),
      footer('ConnectDesk Support'),
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Yes, I need help' },
          { type: 'QUICK_REPLY', text: 'Issue resolved' },
        ],
      },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000005',
    name: 'connectdesk_new_message',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [body('New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000006',
    name: 'connectdesk_welcome',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [body('¡Hola {{1}}! 👋 Bienvenido al soporte de ConnectDesk. ¿En qué podemos ayudarte hoy?'), footer('Con la tecnología de ConnectDesk')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000007',
    name: 'connectdesk_survey',
    language: 'en_US',
    status: 'PENDING',
    category: 'MARKETING',
    components: [body('Hi {{1}}, how did we do today? Reply with a number from 1 (poor) to 5 (great).')],
    quality_score: { score: 'UNKNOWN' },
  },
  {
    id: '1000000000000008',
    name: 'connectdesk_holiday_hours',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [body('Hola {{1}}, durante las fiestas respondemos de {{2}} a {{3}}.')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000009',
    name: 'connectdesk_digest',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [body('ConnectDesk digest: {{1}} conversations are waiting on {{2}}. {{3}} — reply with the line number first to answer, like “1 yes”.')],
    quality_score: { score: 'GREEN' },
  },
];

export function findTemplates(name: string): CatalogTemplate[] {
  return TEMPLATE_CATALOG.filter((t) => t.name === name);
}

export function componentText(t: CatalogTemplate, type: CatalogComponent['type']): string | undefined {
  return t.components.find((c) => c.type === type)?.text;
}

export function templateButtons(t: CatalogTemplate): CatalogButton[] {
  return t.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
}
