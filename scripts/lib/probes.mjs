// Small probes for scripts/check-release.mjs and scripts/release.mjs: free ports, waiting with a
// deadline, a Meta-shaped signed webhook, process memory and folder size from the OS.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns something truthy; throws after `timeout` ms. */
export async function until(fn, what, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A customer's text message as Meta delivers it to `phoneNumberId`. */
export function webhookBody({ wamid, text, phoneNumberId, from }) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Release Check' }, wa_id: from }],
              messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

/** The X-Hub-Signature-256 header value for `body`. */
export const sign = (body, secret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Resident memory of a process (Linux), MB. */
export function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** Megabytes on disk below `p`, each hard-linked file counted once (as `du` does). */
export function diskMb(p) {
  const seen = new Set();
  const bytes = (d) => {
    let n = 0;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const st = fs.lstatSync(path.join(d, e.name));
      if (seen.has(st.ino)) continue;
      seen.add(st.ino);
      n += st.blocks * 512 + (e.isDirectory() ? bytes(path.join(d, e.name)) : 0);
    }
    return n;
  };
  return bytes(p) / 1024 / 1024;
}
