/**
 * Templates in the product, end to end through the sandbox over HTTP: sync stores the parameter
 * format, header format and buttons; agents send NAMED and positional templates with every header
 * format (an uploaded file, a saved asset, a link, a location) and button kind, checked before
 * anything is stored (422 naming the parameter and why); lifecycle events from the sandbox change
 * what can be sent: FLAGGED warns with its disable date, PAUSED/DISABLED/PENDING_DELETION refuse,
 * REINSTATED restores, LOCKED is shown, an announced category change is recorded with its date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend } from '../support/whatsapp.ts';

const PHONE = '447700904001';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('templates: every kind, checked before send, lifecycle', () => {
  let s: TestServer;
  let cookie: string;
  let conversation: any;

  const template = (name: string) =>
    waitFor(async () => (await s.admin(`/admin/api/templates?name=${name}`)).body.data.find((t: any) => t.language === 'en_US'));
  const sendTemplate = (t: Record<string, unknown>) =>
    s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'template', template: { language: 'en_US', ...t } } });
  /** Sent, and what the phone got. */
  const onPhone = async (t: Record<string, unknown>) => {
    const res = await sendTemplate(t);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.message?.id ?? res.body.id;
    const sent = await waitFor(async () => (await messagesOf(s, conversation.id)).find((m) => m.id === id && m.wamid));
    return (await waitFor(async () => (await phoneInbox(s, PHONE)).find((m) => m.wamid === sent.wamid))).template as any;
  };
  const refused = async (t: Record<string, unknown>, code: string) => {
    const before = (await messagesOf(s, conversation.id)).length;
    const res = await sendTemplate(t);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe(code);
    expect((await messagesOf(s, conversation.id)).length).toBe(before);
    return res.body.error;
  };
  const event = async (body: Record<string, unknown>) => {
    const res = await s.fetch('/sandbox/templates/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  const upload = async (data: Buffer, name: string, type: string) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(data)], { type }), name);
    const res = await s.fetch('/admin/api/media', { method: 'POST', body: form, headers: { cookie, origin: s.url } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { media_id: string }).media_id;
  };

  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
    await phoneSend(s, PHONE, { type: 'text', text: { body: 'hello' }, profile_name: 'Ana' });
    conversation = await conversationOf(s, PHONE);
  });
  afterAll(() => s.stop());

  it('sync stores the parameter format, the header format and every button with its link or number', async () => {
    expect(await template('order_update')).toMatchObject({
      parameter_format: 'NAMED',
      header: 'Order {{order_id}}',
      header_format: 'TEXT',
      variables: ['customer_name', 'order_id', 'ship_date'],
      parameter_count: 3,
      buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/track/{{1}}' }],
      sendable: true,
      warning: null,
    });
    expect(await template('spring_sale')).toMatchObject({ header: '[image]', header_format: 'IMAGE', parameter_format: 'POSITIONAL', variables: ['1', '2'] });
    expect(await template('invoice_ready')).toMatchObject({
      header_format: 'DOCUMENT',
      buttons: [{ type: 'PHONE_NUMBER', text: 'Call billing', phone_number: '+15550100200' }],
    });
    expect((await template('pickup_point')).header_format).toBe('LOCATION');
    expect((await template('setup_video')).header_format).toBe('VIDEO');
    expect((await template('welcome_offer')).buttons.map((b: any) => b.type)).toEqual(['COPY_CODE', 'URL']);
  });

  it('sends a NAMED template with its header and URL button, stored with its filled text', async () => {
    const t = await onPhone({
      name: 'order_update',
      parameters: { customer_name: 'Ana', order_id: 'A-7', ship_date: 'May 2' },
      header_parameters: { order_id: 'A-7' },
      buttons: [{ index: 0, sub_type: 'url', value: 'A-7' }],
    });
    expect(t).toMatchObject({
      header: 'Order A-7',
      named_parameters: { customer_name: 'Ana', order_id: 'A-7', ship_date: 'May 2' },
      button_values: [{ index: 0, sub_type: 'url', value: 'A-7' }],
    });
    const stored = (await messagesOf(s, conversation.id)).at(-1);
    expect(stored.text).toBe('Hi Ana, your order A-7 ships on May 2. Track it with the button below.');
  });

  it('positional values by index object work like an array', async () => {
    const t = await onPhone({ name: 'connectdesk_welcome', parameters: { '1': 'Ana' } });
    expect(t.parameters).toEqual(['Ana']);
  });

  it('an image header from an upload, then the same file again as a saved asset (uploaded to WhatsApp once)', async () => {
    const mediaId = await upload(PNG, 'sale.png', 'image/png');
    const gallery = await s.admin('/admin/api/media?kind=image');
    expect(gallery.status).toBe(200);
    expect(gallery.body.data[0]).toMatchObject({ id: mediaId, mime: 'image/png', filename: 'sale.png', url: `/admin/api/media/${mediaId}` });
    expect((await s.admin('/admin/api/media?kind=video')).body.data.find((m: any) => m.id === mediaId)).toBeUndefined();
    const fill = {
      name: 'spring_sale',
      parameters: ['Ana', '20%'],
      header: { type: 'image', media_id: mediaId },
      buttons: [{ index: 1, sub_type: 'quick_reply', value: 'NOT_NOW' }],
    };
    const first = await onPhone(fill);
    expect(first.header_parameter.type).toBe('image');
    const metaId = first.header_parameter.image.id;
    expect(metaId).toMatch(/^\d+$/);
    expect(first.button_values).toEqual([{ index: 1, sub_type: 'quick_reply', value: 'NOT_NOW' }]);
    const again = await onPhone(fill);
    expect(again.header_parameter.image.id).toBe(metaId);
  });

  it('a document header from a link, a video from an upload, a location header, a COPY_CODE button', async () => {
    const doc = await onPhone({
      name: 'invoice_ready',
      parameters: ['Ana', 'INV-7'],
      header: { type: 'document', link: 'https://example.com/inv.pdf', filename: 'INV-7.pdf' },
    });
    expect(doc.header_parameter).toEqual({ type: 'document', document: { link: 'https://example.com/inv.pdf', filename: 'INV-7.pdf' } });
    const videoId = await upload(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(16)]), 'setup.mp4', 'video/mp4');
    const video = await onPhone({ name: 'setup_video', parameters: ['router'], header: { type: 'video', media_id: videoId } });
    expect(video.header_parameter.video.id).toMatch(/^\d+$/);
    const location = { latitude: 52.52, longitude: 13.405, name: 'Pickup point', address: 'Alexanderplatz 1' };
    expect((await onPhone({ name: 'pickup_point', parameters: ['P-33'], header: { type: 'location', location } })).header_parameter).toEqual({
      type: 'location',
      location,
    });
    const offer = await onPhone({
      name: 'welcome_offer',
      parameters: { customer_name: 'Ana', discount: '15%' },
      buttons: [
        { index: 0, sub_type: 'copy_code', value: 'WELCOME15' },
        { index: 1, sub_type: 'url', value: 'wa' },
      ],
    });
    expect(offer.button_values).toEqual([
      { index: 0, sub_type: 'copy_code', value: 'WELCOME15' },
      { index: 1, sub_type: 'url', value: 'wa' },
    ]);
  });

  it('refuses what WhatsApp would refuse, naming the parameter and why, storing nothing', async () => {
    const named = await refused(
      { name: 'order_update', parameters: ['Ana', 'A-7', 'May 2'], header_parameters: { order_id: 'A' }, buttons: [{ index: 0, sub_type: 'url', value: 'x' }] },
      'template_param_mismatch',
    );
    expect(named.message).toMatch(/named parameters \(customer_name, order_id, ship_date\): give them by name/);
    const missing = await refused(
      { name: 'order_update', parameters: { customer_name: 'Ana', order_id: 'A' }, header_parameters: { order_id: 'A' } },
      'template_param_mismatch',
    );
    expect(missing.details.problems).toEqual([
      { field: 'body.ship_date', message: '{{ship_date}} in the body is missing' },
      { field: 'buttons.0', message: 'button 1 (“Track order”) needs the end of its link (https://shop.example.com/track/{{1}})' },
    ]);
    const unknown = await refused(
      { name: 'welcome_offer', parameters: { customer_name: 'Ana', discount: '5%', coupon: 'x' }, buttons: [{ index: 0, sub_type: 'copy_code', value: 'A' }] },
      'template_param_mismatch',
    );
    expect(unknown.details.problems[0]).toEqual({
      field: 'body.coupon',
      message: 'the body has no parameter {{coupon}} (it has {{customer_name}}, {{discount}})',
    });
    expect((await refused({ name: 'spring_sale', parameters: ['Ana', '20%'] }, 'template_param_mismatch')).message).toMatch(
      /header is an image: choose a file or give a link/,
    );
    expect(
      (
        await refused(
          { name: 'spring_sale', parameters: ['Ana', '20%'], header: { type: 'video', link: 'https://example.com/a.mp4' } },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/is an image, not a video/);
    expect(
      (
        await refused(
          { name: 'spring_sale', parameters: ['Ana', '20%'], header: { type: 'image', media_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/header file .* was not found/);
    const pdf = await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf', 'application/pdf');
    expect(
      (await refused({ name: 'spring_sale', parameters: ['Ana', '20%'], header: { type: 'image', media_id: pdf } }, 'template_param_mismatch')).message,
    ).toMatch(/header file is a document/);
    expect(
      (
        await refused(
          { name: 'invoice_ready', parameters: ['A', 'B'], header: { type: 'document', link: 'http://example.com/a.pdf' } },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/https:\/\//);
    expect(
      (
        await refused(
          { name: 'pickup_point', parameters: ['P'], header: { type: 'location', location: { latitude: 95, longitude: 0 } } },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/latitude/);
    expect(
      (
        await refused(
          { name: 'connectdesk_welcome', parameters: ['Ana'], header: { type: 'image', link: 'https://example.com/a.png' } },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/has no header/);
    expect(
      (
        await refused(
          {
            name: 'welcome_offer',
            parameters: { customer_name: 'A', discount: 'B' },
            buttons: [
              { index: 0, sub_type: 'copy_code', value: 'WAY_TOO_LONG_A_CODE' },
              { index: 1, sub_type: 'url', value: 'x' },
            ],
          },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/WhatsApp allows 15/);
    expect(
      (await refused({ name: 'connectdesk_reopen', parameters: ['Ana'], buttons: [{ index: 0, sub_type: 'url', value: 'x' }] }, 'template_param_mismatch'))
        .message,
    ).toMatch(/quick reply button \(sub_type quick_reply\), not url/);
    expect(
      (
        await refused(
          { name: 'connectdesk_reopen', parameters: ['Ana'], buttons: [{ index: 4, sub_type: 'quick_reply', value: 'x' }] },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/there is no button 5/);
    expect(
      (
        await refused(
          {
            name: 'spring_sale',
            parameters: ['Ana', '20%'],
            header: { type: 'image', link: 'https://example.com/a.png' },
            buttons: [{ index: 2, sub_type: 'url', value: 'x' }],
          },
          'template_param_mismatch',
        )
      ).message,
    ).toMatch(/fixed link/);
    expect((await refused({ name: 'connectdesk_welcome', parameters: ['Ana\nSmith'] }, 'template_param_mismatch')).message).toMatch(/must be one line/);
    expect((await refused({ name: 'connectdesk_followup', parameters: ['x'.repeat(1000)] }, 'template_param_mismatch')).message).toMatch(
      /WhatsApp allows 1024/,
    );
  });

  it('preview fills like a send and lists the problems before sending', async () => {
    const ok = await s.admin('/admin/api/templates/order_update/preview', {
      body: {
        language: 'en_US',
        parameters: { customer_name: 'Ana', order_id: 'A-7', ship_date: 'May 2' },
        header_parameters: { order_id: 'A-7' },
        buttons: [{ index: 0, sub_type: 'url', value: 'A-7' }],
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ header: 'Order A-7', text: expect.stringContaining('Hi Ana'), problems: [], missing: 0 });
    expect(ok.body.components[1]).toEqual({
      type: 'body',
      parameters: [
        { type: 'text', parameter_name: 'customer_name', text: 'Ana' },
        { type: 'text', parameter_name: 'order_id', text: 'A-7' },
        { type: 'text', parameter_name: 'ship_date', text: 'May 2' },
      ],
    });
    const partial = await s.admin('/admin/api/templates/order_update/preview', { body: { language: 'en_US', parameters: { customer_name: 'Ana' } } });
    expect(partial.body.text).toBe('Hi Ana, your order {{order_id}} ships on {{ship_date}}. Track it with the button below.');
    expect(partial.body.problems.map((p: any) => p.field)).toEqual(['header.order_id', 'body.order_id', 'body.ship_date', 'buttons.0']);
  });

  it('FLAGGED stays sendable with a warning and its disable date; PAUSED refuses; REINSTATED restores', async () => {
    await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'FLAGGED', disable_date: 1893456000 });
    const flagged = await waitFor(async () => {
      const t = await template('connectdesk_followup');
      return t.disable_date ? t : null;
    });
    expect(flagged).toMatchObject({ status: 'APPROVED', sendable: true, disable_date: '2030-01-01T00:00:00.000Z' });
    expect(flagged.warning).toMatch(/flagged for low quality: WhatsApp will disable it on 2030-01-01/);
    await onPhone({ name: 'connectdesk_followup', parameters: ['Ana'] });

    await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'PAUSED' });
    await waitFor(async () => (await template('connectdesk_followup')).status === 'PAUSED');
    expect((await refused({ name: 'connectdesk_followup', parameters: ['Ana'] }, 'template_not_found')).message).toMatch(
      /paused by WhatsApp for low quality \(FIRST_PAUSE\)/,
    );

    await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'REINSTATED' });
    await waitFor(async () => (await template('connectdesk_followup')).status === 'APPROVED');
    expect(await template('connectdesk_followup')).toMatchObject({ sendable: true, warning: null, disable_date: null });
    await onPhone({ name: 'connectdesk_followup', parameters: ['Ana'] });
  });

  it('DISABLED and PENDING_DELETION refuse with the reason; LOCKED and UNLOCKED only mark editing', async () => {
    await event({ kind: 'status', name: 'setup_video', language: 'en_US', event: 'DISABLED' });
    await event({ kind: 'status', name: 'invoice_ready', language: 'en_US', event: 'PENDING_DELETION' });
    await waitFor(async () => (await template('setup_video')).status === 'DISABLED' && (await template('invoice_ready')).status === 'PENDING_DELETION');
    expect(
      (await refused({ name: 'setup_video', parameters: ['x'], header: { type: 'video', link: 'https://example.com/a.mp4' } }, 'template_not_found')).message,
    ).toMatch(/disabled by WhatsApp/);
    expect(
      (await refused({ name: 'invoice_ready', parameters: ['A', 'B'], header: { type: 'document', link: 'https://example.com/a.pdf' } }, 'template_not_found'))
        .message,
    ).toMatch(/deleted in WhatsApp Manager/);

    await event({ kind: 'status', name: 'connectdesk_reopen', language: 'en_US', event: 'LOCKED' });
    const locked = await waitFor(async () => {
      const t = await template('connectdesk_reopen');
      return t.locked ? t : null;
    });
    expect(locked).toMatchObject({ sendable: true, warning: 'locked: it cannot be edited' });
    await onPhone({ name: 'connectdesk_reopen', parameters: ['Ana'] });
    await event({ kind: 'status', name: 'connectdesk_reopen', language: 'en_US', event: 'UNLOCKED' });
    await waitFor(async () => (await template('connectdesk_reopen')).locked === false);
  });

  it('quality and category: an announced change is shown with its date, the change itself recorded', async () => {
    await event({ kind: 'quality', name: 'hello_world', language: 'en_US', score: 'RED' });
    await waitFor(async () => (await template('hello_world')).quality === 'RED');
    await event({ kind: 'category', name: 'connectdesk_welcome', language: 'en_US', category: 'MARKETING', impending: true, at: 1893456000 });
    const announced = await waitFor(async () => {
      const t = await template('connectdesk_welcome');
      return t.category_change ? t : null;
    });
    expect(announced).toMatchObject({
      category: 'UTILITY',
      category_change: { from: 'UTILITY', to: 'MARKETING', at: '2030-01-01T00:00:00.000Z', done: false },
      sendable: true,
    });
    expect(announced.warning).toBe('WhatsApp will change its category from UTILITY to MARKETING on 2030-01-01');
    await event({ kind: 'category', name: 'connectdesk_welcome', language: 'en_US', category: 'MARKETING' });
    const changed = await waitFor(async () => {
      const t = await template('connectdesk_welcome');
      return t.category === 'MARKETING' ? t : null;
    });
    expect(changed.category_change).toMatchObject({ from: 'UTILITY', to: 'MARKETING', done: true });
    expect(changed.warning).toBeNull();
  });
});
