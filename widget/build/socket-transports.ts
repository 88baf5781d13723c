/**
 * The widget's socket transports: WebSocket, with HTTP long-polling over `fetch` as the fallback.
 * engine.io-client's transport table (transports/index.js) also lists WebTransport, which the
 * widget never asks for, and XHR polling, four times the size of its fetch twin; both would ship in
 * the UI chunk that every visitor downloads. This swaps that one module of the library for a table
 * of the two we use, built from the library's own transport classes (nothing re-implemented). The
 * browser test `widget-long-polling` runs the whole chat with WebSockets unavailable.
 */
import path from 'node:path';
import type { Plugin } from 'vite';

const TABLE = '\0connectdesk-socket-transports';

export function socketTransports(): Plugin {
  let dir = '';
  return {
    name: 'connectdesk-socket-transports',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== './transports/index.js' || !importer || !/[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/.test(importer)) return null;
      dir = path.join(path.dirname(importer), 'transports');
      return TABLE;
    },
    load(id) {
      if (id !== TABLE) return null;
      const ws = JSON.stringify(path.join(dir, 'websocket.js'));
      const fetchPolling = JSON.stringify(path.join(dir, 'polling-fetch.js'));
      return `import { WS } from ${ws};\nimport { Fetch } from ${fetchPolling};\nexport const transports = { websocket: WS, polling: Fetch };\n`;
    },
  };
}
