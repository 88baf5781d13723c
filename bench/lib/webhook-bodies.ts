/**
 * Realistic signed webhook deliveries: the shape of the pywa corpus's `message.json` → "text"
 * (one entry, one change, one contact, one text message), with the server's phone number id,
 * unique wamids and a fixed set of contacts. Pre-built and pre-signed so the load generator only
 * copies bytes.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './node-process.ts';

interface TextUpdate {
  object: string;
  entry: {
    id: string;
    changes: {
      field: string;
      value: {
        messaging_product: string;
        metadata: { display_phone_number: string; phone_number_id: string };
        contacts: { profile: { name: string }; wa_id: string; user_id?: string }[];
        messages: { from: string; id: string; timestamp: string; type: string; text: { body: string } }[];
      };
    }[];
  }[];
}

const FIXTURE = path.resolve(REPO_ROOT, '../shared/fixtures/pywa-updates/message.json');

/** The corpus's "text" update; the same shape written out when the corpus is not beside the repo. */
function textTemplate(): TextUpdate {
  if (fs.existsSync(FIXTURE)) return (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { text: TextUpdate }).text;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1234567890987654321',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '972123456789', phone_number_id: '1122334455667' },
              contacts: [{ profile: { name: 'Test Name' }, wa_id: '972987654321', user_id: 'US.13491208655302741918' }],
              messages: [{ from: '972987654321', id: 'wamid.xyzxyz', timestamp: '1697043223', text: { body: 'Body Text' }, type: 'text' }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

const PHRASES = [
  'Hi, is the blue jacket still available in size M?',
  'Can I change the delivery address for my order?',
  'What time do you open on Saturdays?',
  'Thanks! That worked.',
  'Do you ship to Portugal? How long does it take?',
  'I was charged twice for order #4821, can you check?',
  'ok',
  'Could you send me the invoice again please',
];

export interface SignedBody {
  body: Buffer;
  signature: string;
  wamid: string;
}

function waIdFor(contact: number): string {
  return `4479${String(10_000_000 + contact).padStart(8, '0')}`;
}

/** `count` deliveries from `contacts` distinct wa_ids; wamids are `<prefix><n>` (unique per run). */
export function signedTextWebhooks(opts: { count: number; contacts: number; phoneNumberId: string; appSecret: string; wamidPrefix: string }): SignedBody[] {
  const template = textTemplate();
  const out: SignedBody[] = new Array(opts.count);
  const ts = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < opts.count; i++) {
    const contact = i % opts.contacts;
    const waId = waIdFor(contact);
    const wamid = `${opts.wamidPrefix}${i.toString(36).toUpperCase()}`;
    const update = structuredClone(template);
    const value = update.entry[0]!.changes[0]!.value;
    value.metadata.phone_number_id = opts.phoneNumberId;
    value.metadata.display_phone_number = '15550000777';
    value.contacts = [{ profile: { name: `Customer ${contact}` }, wa_id: waId, user_id: `US.${13491208655300000000n + BigInt(contact)}` }];
    value.messages = [{ from: waId, id: wamid, timestamp: ts, text: { body: `${PHRASES[i % PHRASES.length]} (${i})` }, type: 'text' }];
    const body = Buffer.from(JSON.stringify(update));
    out[i] = { body, signature: 'sha256=' + createHmac('sha256', opts.appSecret).update(body).digest('hex'), wamid };
  }
  return out;
}
