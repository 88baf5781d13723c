/**
 * The sandbox's templates over HTTP, as Meta has them: `GET /{waba-id}/message_templates` lists
 * NAMED and positional templates with every header format and button kind as Meta documents them;
 * every kind round-trips to the phone; every refusal answers Meta's code; template events change
 * the template and send Meta's webhooks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

const PHONE = '4915112340001';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('sandbox templates', () => {
  let h: SandboxHarness;
  let imageId: string;
  let videoId: string;

  const send = async (template: Record<string, unknown>) => {
    const res = await fetch(`${h.graphUrl}/v25.0/100000000000001/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer harness-token' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: PHONE, type: 'template', template: { language: { code: 'en_US' }, ...template } }),
    });
    return { status: res.status, body: await res.json() };
  };
  const delivered = async (template: Record<string, unknown>) => {
    const res = await send(template);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wamid = res.body.messages[0].id as string;
    expect(res.body.messages[0].message_status).toBe('accepted');
    return (await h.inbox(PHONE)).find((m) => m.wamid === wamid).template;
  };
  const refused = async (template: Record<string, unknown>, code: number) => {
    const res = await send(template);
    expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code);
    expect(res.status).toBe(code === 132001 ? 404 : 400);
    expect(res.body.error.error_data.details).toEqual(expect.any(String));
    return res.body.error;
  };
  const event = async (body: Record<string, unknown>) => {
    const res = await fetch(`${h.url}/sandbox/templates/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const body = (...values: string[]) => ({ type: 'body', parameters: values.map((text) => ({ type: 'text', text })) });
  const named = (values: Record<string, string>) => ({
    type: 'body',
    parameters: Object.entries(values).map(([parameter_name, text]) => ({ type: 'text', parameter_name, text })),
  });

  beforeAll(async () => {
    h = await startSandboxHarness();
    expect((await h.phoneSends(PHONE, { type: 'text', text: { body: 'hi' }, profile_name: 'Ana' })).status).toBe(200);
    imageId = (await h.client().uploadMedia(PNG, 'image/png', 'sale.png')).id;
    videoId = (await h.client().uploadMedia(Buffer.from('not really a video'), 'video/mp4', 'setup.mp4')).id;
  });
  afterAll(() => h.close());

  it('lists templates as Meta documents them: parameter_format, header formats, buttons, examples', async () => {
    const res = await fetch(`${h.graphUrl}/v25.0/200000000000001/message_templates?limit=100`, { headers: { authorization: 'Bearer harness-token' } });
    const list = (await res.json()).data as any[];
    const by = (name: string) => list.find((t) => t.name === name && t.language === 'en_US');
    expect(by('connectdesk_welcome').parameter_format).toBe('POSITIONAL');
    const order = by('order_update');
    expect(order.parameter_format).toBe('NAMED');
    expect(order.components[0]).toEqual({
      type: 'HEADER',
      format: 'TEXT',
      text: 'Order {{order_id}}',
      example: { header_text_named_params: [{ param_name: 'order_id', example: 'A-1042' }] },
    });
    expect(order.components[1].example.body_text_named_params).toHaveLength(3);
    expect(order.components[3].buttons[0]).toMatchObject({ type: 'URL', url: 'https://shop.example.com/track/{{1}}', example: [expect.any(String)] });
    expect(by('spring_sale').components[0]).toMatchObject({ type: 'HEADER', format: 'IMAGE', example: { header_handle: [expect.any(String)] } });
    expect(by('setup_video').components[0].format).toBe('VIDEO');
    expect(by('invoice_ready').components[0].format).toBe('DOCUMENT');
    expect(by('invoice_ready').components[2].buttons[0]).toMatchObject({ type: 'PHONE_NUMBER', phone_number: '+15550100200' });
    expect(by('pickup_point').components[0]).toEqual({ type: 'HEADER', format: 'LOCATION' });
    expect(by('welcome_offer').components[1].buttons.map((b: any) => b.type)).toEqual(['COPY_CODE', 'URL']);
    const only = await fetch(`${h.graphUrl}/v25.0/200000000000001/message_templates?name=order_update&fields=name,parameter_format`, {
      headers: { authorization: 'Bearer harness-token' },
    });
    expect((await only.json()).data).toEqual([{ id: '1000000000000010', name: 'order_update', parameter_format: 'NAMED' }]);
  });

  it('positional and NAMED templates, with a text header and a dynamic URL button', async () => {
    expect(await delivered({ name: 'connectdesk_welcome', components: [body('Ana')] })).toMatchObject({
      parameters: ['Ana'],
      text: expect.stringContaining('Hello Ana!'),
    });
    const t = await delivered({
      name: 'order_update',
      components: [
        { type: 'header', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'A-7' }] },
        named({ ship_date: 'May 2', customer_name: 'Ana', order_id: 'A-7' }),
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-7' }] },
      ],
    });
    expect(t).toMatchObject({
      header: 'Order A-7',
      text: 'Hi Ana, your order A-7 ships on May 2. Track it with the button below.',
      named_parameters: { customer_name: 'Ana', order_id: 'A-7', ship_date: 'May 2' },
      parameters: ['Ana', 'A-7', 'May 2'],
      button_values: [{ index: 0, sub_type: 'url', value: 'A-7' }],
    });
  });

  it('every header format: image (uploaded id), video, document (link), location', async () => {
    const image = await delivered({
      name: 'spring_sale',
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { id: imageId } }] },
        body('Ana', '20%'),
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'SALE_YES' }] },
      ],
    });
    expect(image).toMatchObject({
      header: '[image]',
      header_parameter: { type: 'image', image: { id: imageId } },
      buttons: ['Show me', 'Not interested', 'Shop now'],
    });
    expect(image.button_values).toEqual([{ index: 0, sub_type: 'quick_reply', value: 'SALE_YES' }]);
    const video = await delivered({
      name: 'setup_video',
      components: [{ type: 'header', parameters: [{ type: 'video', video: { id: videoId } }] }, body('router')],
    });
    expect(video.header_parameter).toEqual({ type: 'video', video: { id: videoId } });
    const doc = await delivered({
      name: 'invoice_ready',
      components: [
        { type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/inv.pdf', filename: 'INV-7.pdf' } }] },
        body('Ana', 'INV-7'),
      ],
    });
    expect(doc).toMatchObject({
      header: '[document]',
      header_parameter: { document: { link: 'https://example.com/inv.pdf', filename: 'INV-7.pdf' } },
      buttons: ['Call billing'],
    });
    const location = { latitude: 52.52, longitude: 13.405, name: 'Pickup point', address: 'Alexanderplatz 1' };
    const loc = await delivered({ name: 'pickup_point', components: [{ type: 'header', parameters: [{ type: 'location', location }] }, body('P-33')] });
    expect(loc.header_parameter).toEqual({ type: 'location', location });
  });

  it('COPY_CODE and URL buttons together', async () => {
    const t = await delivered({
      name: 'welcome_offer',
      components: [
        named({ customer_name: 'Ana', discount: '15%' }),
        { type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'WELCOME15' }] },
        { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'wa' }] },
      ],
    });
    expect(t.button_values).toEqual([
      { index: 0, sub_type: 'copy_code', value: 'WELCOME15' },
      { index: 1, sub_type: 'url', value: 'wa' },
    ]);
  });

  it('answers Meta’s codes for every malformed send', async () => {
    await refused({ name: 'no_such_template' }, 132001);
    await refused({ name: 'connectdesk_welcome', language: { code: 'de' } }, 132001);
    await refused({ name: 'connectdesk_survey', components: [body('Ana')] }, 132001); // PENDING
    await refused({ name: 'connectdesk_welcome' }, 132000);
    await refused({ name: 'connectdesk_welcome', components: [body('Ana', 'extra')] }, 132000);
    await refused({ name: 'hello_world', components: [{ type: 'header', parameters: [{ type: 'text', text: 'x' }] }] }, 132000);
    // Positional values for a NAMED template, a name for a positional one, text for an image header, a video for an image.
    await refused(
      {
        name: 'order_update',
        components: [{ type: 'header', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'A' }] }, body('Ana', 'A-7', 'May 2')],
      },
      132012,
    );
    await refused({ name: 'connectdesk_welcome', components: [named({ name: 'Ana' })] }, 132012);
    await refused({ name: 'spring_sale', components: [{ type: 'header', parameters: [{ type: 'text', text: 'x' }] }, body('Ana', '1')] }, 132012);
    await refused({ name: 'spring_sale', components: [{ type: 'header', parameters: [{ type: 'image', image: { id: videoId } }] }, body('Ana', '1')] }, 132012);
    // Missing: the header's media, a URL suffix, a coupon code, an empty value.
    await refused({ name: 'spring_sale', components: [body('Ana', '20%')] }, 131008);
    await refused({ name: 'spring_sale', components: [{ type: 'header', parameters: [{ type: 'image', image: {} }] }, body('Ana', '20%')] }, 131008);
    await refused({ name: 'pickup_point', components: [{ type: 'header', parameters: [{ type: 'location', location: { name: 'x' } }] }, body('P')] }, 131008);
    await refused(
      {
        name: 'order_update',
        components: [
          { type: 'header', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'A' }] },
          named({ customer_name: 'A', order_id: 'A', ship_date: 'B' }),
        ],
      },
      131008,
    );
    await refused(
      {
        name: 'welcome_offer',
        components: [named({ customer_name: 'Ana', discount: '5%' }), { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'x' }] }],
      },
      131008,
    );
    await refused({ name: 'connectdesk_welcome', components: [body('')] }, 131008);
    // Invalid: no such button, a fixed URL given a suffix, an unknown media id, a bad link, a bad location, an unknown name.
    await refused(
      {
        name: 'connectdesk_reopen',
        components: [body('Ana'), { type: 'button', sub_type: 'quick_reply', index: 5, parameters: [{ type: 'payload', payload: 'x' }] }],
      },
      131009,
    );
    await refused(
      {
        name: 'spring_sale',
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { id: imageId } }] },
          body('Ana', '1'),
          { type: 'button', sub_type: 'url', index: 2, parameters: [{ type: 'text', text: 'x' }] },
        ],
      },
      131009,
    );
    await refused(
      { name: 'spring_sale', components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '999999' } }] }, body('Ana', '1')] },
      131009,
    );
    await refused(
      { name: 'invoice_ready', components: [{ type: 'header', parameters: [{ type: 'document', document: { link: 'ftp://x' } }] }, body('A', 'B')] },
      131009,
    );
    await refused(
      { name: 'pickup_point', components: [{ type: 'header', parameters: [{ type: 'location', location: { latitude: 95, longitude: 0 } }] }, body('P')] },
      131009,
    );
    await refused(
      {
        name: 'welcome_offer',
        components: [
          named({ customer_name: 'Ana', coupon: '5%' }),
          { type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'X' }] },
        ],
      },
      131009,
    );
    // Parameter format (new lines, tabs, more than four spaces) and text too long.
    const format = await refused({ name: 'connectdesk_welcome', components: [body('Ana\nSmith')] }, 132018);
    expect(format.error_data.details).toMatch(/new-line\/tab characters or more than 4 consecutive spaces/);
    await refused({ name: 'connectdesk_welcome', components: [body('Ana\tSmith')] }, 132018);
    await refused({ name: 'connectdesk_welcome', components: [body('Ana     Smith')] }, 132018);
    const long = await refused({ name: 'connectdesk_followup', components: [body('x'.repeat(900))] }, 132005);
    expect(long.message).toBe('(#132005) Translated text too long');
  });

  it('lifecycle events: FLAGGED stays sendable, PAUSED → 132015, DISABLED → 132016, PENDING_DELETION → 132001, REINSTATED restores', async () => {
    const hook = (field: string, name: string) =>
      h.receiver.until((all) => all.find((w) => w.body.entry[0].changes[0].field === field && w.body.entry[0].changes[0].value.message_template_name === name));
    const flagged = await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'FLAGGED', disable_date: 1893456000 });
    expect(flagged.status).toBe(200);
    expect(flagged.body.value).toEqual({
      event: 'FLAGGED',
      message_template_id: 1000000000000003,
      message_template_name: 'connectdesk_followup',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'UTILITY',
      disable_info: { disable_date: 1893456000 },
    });
    const received = await hook('message_template_status_update', 'connectdesk_followup');
    expect(received.signatureValid).toBe(true);
    expect(received.body.entry[0].id).toBe('200000000000001');
    await delivered({ name: 'connectdesk_followup', components: [body('Ana')] });

    await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'PAUSED' });
    const paused = await refused({ name: 'connectdesk_followup', components: [body('Ana')] }, 132015);
    expect(paused.message).toBe('(#132015) Template is Paused');
    const reinstated = await event({ kind: 'status', name: 'connectdesk_followup', language: 'en_US', event: 'REINSTATED' });
    expect(reinstated.body.value.other_info).toEqual({ title: 'UNPAUSE', description: 'Your WhatsApp message template has been unpaused.' });
    await delivered({ name: 'connectdesk_followup', components: [body('Ana')] });

    await event({ kind: 'status', name: 'setup_video', language: 'en_US', event: 'DISABLED' });
    await refused({ name: 'setup_video', components: [{ type: 'header', parameters: [{ type: 'video', video: { id: videoId } }] }, body('x')] }, 132016);
    const deletion = await event({ kind: 'status', name: 'invoice_ready', language: 'en_US', event: 'PENDING_DELETION' });
    expect(deletion.body.value.reason).toBeNull();
    await refused(
      {
        name: 'invoice_ready',
        components: [{ type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/a.pdf' } }] }, body('A', 'B')],
      },
      132001,
    );

    const locked = await event({ kind: 'status', name: 'connectdesk_reopen', language: 'en_US', event: 'LOCKED' });
    expect(locked.body.value.other_info.title).toBe('LOCKED');
    await delivered({ name: 'connectdesk_reopen', components: [body('Ana')] }); // locked = not editable, still sendable
    await event({ kind: 'status', name: 'connectdesk_reopen', language: 'en_US', event: 'UNLOCKED' });

    const rejected = await event({ kind: 'status', name: 'connectdesk_survey', language: 'en_US', event: 'REJECTED' });
    expect(rejected.body.value).toMatchObject({ reason: 'INVALID_FORMAT', rejection_info: { reason: expect.any(String), recommendation: expect.any(String) } });

    const list = await (await fetch(`${h.url}/sandbox/templates`)).json();
    const of = (name: string) => list.data.find((t: any) => t.name === name && t.language === 'en_US');
    expect(of('connectdesk_followup')).toMatchObject({ status: 'APPROVED', disable_date: null });
    expect(of('setup_video').status).toBe('DISABLED');
    expect(of('connectdesk_reopen').locked).toBe(false);
  });

  it('quality and category webhooks, the impending change with its date', async () => {
    const q = await event({ kind: 'quality', name: 'hello_world', language: 'en_US', score: 'YELLOW' });
    expect(q.body).toMatchObject({
      field: 'message_template_quality_update',
      value: {
        previous_quality_score: 'GREEN',
        new_quality_score: 'YELLOW',
        message_template_id: 1000000000000001,
        message_template_name: 'hello_world',
        message_template_language: 'en_US',
      },
    });
    const impending = await event({ kind: 'category', name: 'connectdesk_welcome', language: 'en_US', category: 'MARKETING', impending: true, at: 1893456000 });
    expect(impending.body).toEqual({
      field: 'template_category_update',
      value: {
        message_template_id: 1000000000000002,
        message_template_name: 'connectdesk_welcome',
        message_template_language: 'en_US',
        correct_category: 'MARKETING',
        new_category: 'UTILITY',
        category_update_timestamp: 1893456000,
      },
      webhook: expect.anything(),
    });
    const done = await event({ kind: 'category', name: 'connectdesk_welcome', language: 'en_US', category: 'MARKETING' });
    expect(done.body.value).toMatchObject({ previous_category: 'UTILITY', new_category: 'MARKETING' });
    const res = await fetch(`${h.graphUrl}/v25.0/200000000000001/message_templates?name=connectdesk_welcome&language=en_US`, {
      headers: { authorization: 'Bearer harness-token' },
    });
    expect((await res.json()).data[0].category).toBe('MARKETING');
  });

  it('refuses a malformed event and an unknown template', async () => {
    expect((await event({ kind: 'status', name: 'hello_world', language: 'en_US', event: 'EXPLODED' })).status).toBe(400);
    const unknown = await event({ kind: 'quality', name: 'nope', language: 'en_US', score: 'RED' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no template nope/);
  });
});
