/**
 * The template picker with every kind of template: a media header from an upload (then offered as a
 * saved file), named parameters, button values, the live preview, and the problems listed before
 * sending — at a phone's width (375 px) and a laptop's (1366 px).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, inboundWebhook, openAdmin, phoneInbox, postSignedWebhook, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const HOUR = 3600_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

describe('admin template picker', () => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  for (const viewport of [
    { width: 375, height: 812 },
    { width: 1366, height: 900 },
  ]) {
    it(`fills and sends an image-header template and a named one at ${viewport.width}px`, async () => {
      const waId = `1555010${viewport.width}0`;
      const at = new Date(Date.now() - 30 * HOUR);
      const res = await postSignedWebhook(
        s,
        inboundWebhook(s, { waId, name: 'Pia', wamid: `wamid.picker-${waId}`, timestamp: at, message: { type: 'text', text: { body: 'Any offers?' } } }),
      );
      expect(res.status).toBe(200);
      const conv = await waitFor(() => conversationOf(s, (c) => c.contact.wa_id === waId));
      const { page, errors, context } = await openAdmin(browser, s, viewport, `/admin/conversations/${conv.id}`);
      await signIn(page);

      const picker = page.getByLabel('Template', { exact: true });
      await picker.waitFor();
      await picker.selectOption({ label: 'spring_sale (en_US)' });
      const problems = page.getByRole('list', { name: 'Before sending' });
      await problems.getByText('this template’s header is an image: choose a file or give a link').waitFor();
      await page.getByLabel('Upload header image').setInputFiles({ name: 'sale.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('radiogroup', { name: 'Saved files' }).getByRole('radio', { checked: true }).waitFor();
      await page.getByLabel('Parameter 1', { exact: true }).fill('Pia');
      await page.getByRole('button', { name: 'Send template' }).click();
      await page.getByRole('alert').getByText('Fill in parameter {{2}}.').waitFor();
      await page.getByLabel('Parameter 2', { exact: true }).fill('20%');
      await page.getByLabel('Button 1', { exact: true }).fill('SALE_YES');
      const preview = page.getByLabel('Preview');
      await preview.getByText('Hi Pia, our spring sale is on: 20% off everything until Sunday.').waitFor();
      await preview.getByRole('img', { name: 'header image' }).waitFor();
      expect(await problems.count()).toBe(0);
      await screenshot(page, `template-picker-image-${viewport.width}`);
      await page.getByRole('button', { name: 'Send template' }).click();
      const onPhone = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.template?.name === 'spring_sale') as any, {
        message: 'spring_sale on the phone',
      });
      expect(onPhone.template.header_parameter.type).toBe('image');
      expect(onPhone.template.button_values).toEqual([{ index: 0, sub_type: 'quick_reply', value: 'SALE_YES' }]);

      // The upload is now a saved file for the next image template.
      await picker.selectOption({ label: 'spring_sale (en_US)' });
      await page.getByRole('radiogroup', { name: 'Saved files' }).getByRole('radio', { name: 'sale.png' }).first().waitFor();

      await picker.selectOption({ label: 'order_update (en_US)' });
      await page.getByLabel('Header parameter order_id', { exact: true }).fill('A-7');
      await page.getByLabel('Parameter customer_name', { exact: true }).fill('Pia');
      await page.getByLabel('Parameter order_id', { exact: true }).fill('A-7');
      await page.getByLabel('Parameter ship_date', { exact: true }).fill('May 2');
      await problems.getByText('button 1 (“Track order”) needs the end of its link (https://shop.example.com/track/{{1}})').waitFor();
      await page.getByLabel('Button 1', { exact: true }).fill('A-7');
      await preview.getByText('Order A-7', { exact: true }).waitFor();
      await preview.getByText('Hi Pia, your order A-7 ships on May 2.', { exact: false }).waitFor();
      await screenshot(page, `template-picker-named-${viewport.width}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByRole('button', { name: 'Send template' }).click();
      const named = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.template?.name === 'order_update') as any, {
        message: 'order_update on the phone',
      });
      expect(named.template.named_parameters).toEqual({ customer_name: 'Pia', order_id: 'A-7', ship_date: 'May 2' });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
