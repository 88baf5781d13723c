/**
 * A second origin for browser tests: serves test/browser/pages/*.html with the ConnectDesk server
 * URL filled in (`{{SERVER}}`), extra script-tag attributes from `?data-*=` (`{{ATTRS}}`) and the
 * install snippet exactly as site owners are shown it (`{{SNIPPET}}`).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { installSnippet } from '@connectdesk/shared/install-snippet';

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

const PAGES = import.meta.dirname;

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);
}

export async function startHostServer(serverUrl: string): Promise<HostServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const file = path.join(PAGES, path.basename(url.pathname));
    if (!file.endsWith('.html') || !fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const attrs = [...url.searchParams].filter(([k]) => /^data-[a-z-]+$/.test(k)).map(([k, v]) => `${k}="${escapeAttr(v)}"`);
    const html = fs.readFileSync(file, 'utf8').replaceAll('{{SERVER}}', serverUrl).replace('{{ATTRS}}', attrs.join(' ')).replace('{{SNIPPET}}', installSnippet(serverUrl));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" vs the server's "127.0.0.1": a different origin, as on a real customer site.
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
