import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { installSnippet, QUEUE_STUB } from './install-snippet.ts';

describe('install snippet', () => {
  it('queues method calls and function calls made before widget.js, in order', () => {
    const win: Record<string, unknown> = {};
    win.window = win;
    const ctx = vm.createContext(win);
    vm.runInContext(`${QUEUE_STUB}; ConnectDesk.open(); ConnectDesk('on', 'message', 1); ConnectDesk.identify({ name: 'Ana' });`, ctx);
    const queued = vm.runInContext('ConnectDesk.q.map(function (a) { return JSON.stringify([].slice.call(a)); })', ctx) as string[];
    expect(queued).toEqual(['["open"]', '["on","message",1]', '["identify",{"name":"Ana"}]']);
  });

  it('leaves an already loaded ConnectDesk alone', () => {
    const calls: string[] = [];
    const api = Object.assign((m: string) => calls.push(`fn:${m}`), { open: () => calls.push('open'), loaded: true });
    const win: Record<string, unknown> = { ConnectDesk: api };
    win.window = win;
    vm.runInContext(`${QUEUE_STUB}; ConnectDesk.open(); ConnectDesk.close();`, vm.createContext(win));
    expect(win.ConnectDesk).toBe(api);
    expect(calls).toEqual(['open', 'fn:close']);
  });

  it('puts the call queue before the async loader tag and escapes attributes', () => {
    const s = installSnippet('https://desk.example.com', { 'site-key': 'a"b' });
    expect(s.split('\n')).toHaveLength(2);
    expect(s).toMatch(/^<script>window\.ConnectDesk=/);
    expect(s).toContain('<script src="https://desk.example.com/widget.js" data-site-key="a&quot;b" async></script>');
  });
});
