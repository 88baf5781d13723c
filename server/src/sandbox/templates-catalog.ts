/**
 * The templates the sandbox's WhatsApp Business Account has: the guide's approved ones (section
 * 12.3), Meta's `hello_world`, the two templates ConnectDesk asks owners to submit (the forward
 * of a visitor message and the digest of several, for when the owner's own window is closed), two
 * that cannot be sent (one still PENDING, one only in Spanish) so 132001 can be exercised, and one
 * of every other kind Meta has: NAMED parameters (`{{customer_name}}`), IMAGE, VIDEO, DOCUMENT and
 * LOCATION headers, and QUICK_REPLY, URL (fixed and with a dynamic suffix), COPY_CODE and
 * PHONE_NUMBER buttons, each with Meta's `example` block.
 */
export interface CatalogButton {
  type: 'QUICK_REPLY' | 'URL' | 'COPY_CODE' | 'PHONE_NUMBER';
  text: string;
  url?: string;
  phone_number?: string;
  example?: string[];
}

type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';

export interface CatalogComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: HeaderFormat;
  text?: string;
  buttons?: CatalogButton[];
  example?: Record<string, unknown>;
}

type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'PENDING_DELETION';
type TemplateCategory = 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';

export interface CatalogTemplate {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameter_format: 'POSITIONAL' | 'NAMED';
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
    parameter_format: 'POSITIONAL',
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
    parameter_format: 'POSITIONAL',
    components: [body('Hello {{1}}! 👋 Welcome to ConnectDesk support. How can we help you today?'), footer('Powered by ConnectDesk')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000003',
    name: 'connectdesk_followup',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
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
    parameter_format: 'POSITIONAL',
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
    parameter_format: 'POSITIONAL',
    components: [body('New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000006',
    name: 'connectdesk_welcome',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [body('¡Hola {{1}}! 👋 Bienvenido al soporte de ConnectDesk. ¿En qué podemos ayudarte hoy?'), footer('Con la tecnología de ConnectDesk')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000007',
    name: 'connectdesk_survey',
    language: 'en_US',
    status: 'PENDING',
    category: 'MARKETING',
    parameter_format: 'POSITIONAL',
    components: [body('Hi {{1}}, how did we do today? Reply with a number from 1 (poor) to 5 (great).')],
    quality_score: { score: 'UNKNOWN' },
  },
  {
    id: '1000000000000008',
    name: 'connectdesk_holiday_hours',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [body('Hola {{1}}, durante las fiestas respondemos de {{2}} a {{3}}.')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000009',
    name: 'connectdesk_digest',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [body('ConnectDesk digest: {{1}} conversations are waiting on {{2}}. {{3}} — reply with the line number first to answer, like “1 yes”.')],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000010',
    name: 'order_update',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{order_id}}', example: { header_text_named_params: [{ param_name: 'order_id', example: 'A-1042' }] } },
      {
        type: 'BODY',
        text: 'Hi {{customer_name}}, your order {{order_id}} ships on {{ship_date}}. Track it with the button below.',
        example: {
          body_text_named_params: [
            { param_name: 'customer_name', example: 'Ana' },
            { param_name: 'order_id', example: 'A-1042' },
            { param_name: 'ship_date', example: 'May 2' },
          ],
        },
      },
      footer('Reply STOP to opt out'),
      {
        type: 'BUTTONS',
        buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/track/{{1}}', example: ['https://shop.example.com/track/A-1042'] }],
      },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000011',
    name: 'spring_sale',
    language: 'en_US',
    status: 'APPROVED',
    category: 'MARKETING',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/spring_sale.jpg'] } },
      { type: 'BODY', text: 'Hi {{1}}, our spring sale is on: {{2}} off everything until Sunday.', example: { body_text: [['Ana', '20%']] } },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Show me' },
          { type: 'QUICK_REPLY', text: 'Not interested' },
          { type: 'URL', text: 'Shop now', url: 'https://shop.example.com/sale' },
        ],
      },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000012',
    name: 'setup_video',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'VIDEO', example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/setup.mp4'] } },
      { type: 'BODY', text: 'Here is how to set up your {{1}} in two minutes.', example: { body_text: [['router']] } },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000013',
    name: 'invoice_ready',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/invoice.pdf'] } },
      { type: 'BODY', text: 'Hi {{1}}, your invoice {{2}} is attached.', example: { body_text: [['Ana', 'INV-7']] } },
      { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call billing', phone_number: '+15550100200' }] },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000014',
    name: 'pickup_point',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'LOCATION' },
      { type: 'BODY', text: 'Your parcel {{1}} is ready for pickup here.', example: { body_text: [['P-33']] } },
    ],
    quality_score: { score: 'GREEN' },
  },
  {
    id: '1000000000000015',
    name: 'welcome_offer',
    language: 'en_US',
    status: 'APPROVED',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'BODY',
        text: 'Welcome {{customer_name}}! Take {{discount}} off your first order with the code below.',
        example: {
          body_text_named_params: [
            { param_name: 'customer_name', example: 'Ana' },
            { param_name: 'discount', example: '15%' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', text: 'Copy offer code', example: ['WELCOME15'] },
          { type: 'URL', text: 'Shop', url: 'https://shop.example.com/?ref={{1}}', example: ['https://shop.example.com/?ref=wa'] },
        ],
      },
    ],
    quality_score: { score: 'GREEN' },
  },
];
