import { describe, expect, it } from 'vitest';
import { messageJson as messageJsonFixture } from '@connectdesk/shared/fixtures';
import { VisitorMediaLinks } from './visitor-media-links.ts';

const key = Buffer.alloc(32, 7);

describe('VisitorMediaLinks', () => {
  const links = new VisitorMediaLinks(key, 60_000);
  const parts = (url: string) => {
    const u = new URL(url, 'http://x');
    return { id: decodeURIComponent(u.pathname.split('/').pop()!), exp: u.searchParams.get('exp'), sig: u.searchParams.get('sig') };
  };

  it('opens the file it was made for until it expires, and nothing else', () => {
    const t = 1_800_000_000_000;
    const { id, exp, sig } = parts(links.url('01MEDIA', t));
    expect(id).toBe('01MEDIA');
    expect(links.verify('01MEDIA', exp, sig, t)).toBe(true);
    expect(links.verify('01MEDIA', exp, sig, t + 59_000)).toBe(true);
    expect(links.verify('01MEDIA', exp, sig, t + 61_000)).toBe(false); // expired
    expect(links.verify('01OTHER', exp, sig, t)).toBe(false);
    expect(links.verify('01MEDIA', String(Number(exp) + 3600), sig, t)).toBe(false); // a later expiry is not signed
    expect(new VisitorMediaLinks(Buffer.alloc(32, 8), 60_000).verify('01MEDIA', exp, sig, t)).toBe(false); // another APP_KEY
    for (const [e, s] of [
      [undefined, sig],
      [exp, undefined],
      ['soon', sig],
      [exp, 'x'],
      [[exp], sig],
      [exp, `${sig}=`],
    ] as unknown[][]) {
      expect(links.verify('01MEDIA', e, s, t)).toBe(false);
    }
  });

  it('gives a visitor its message with a link only for a file that is ready', () => {
    const ready = messageJsonFixture({
      media: { id: '01MEDIA', mime: 'image/png', size: 10, filename: 'a.png', url: '/admin/api/media/01MEDIA', ready: true },
    });
    expect(links.forVisitor(ready).media!.url).toMatch(/^\/api\/media\/01MEDIA\?exp=\d+&sig=/);
    expect(ready.media!.url).toBe('/admin/api/media/01MEDIA'); // the agents' copy is left alone
    const pending = messageJsonFixture({ media: { id: '01MEDIA', mime: 'image/png', size: null, filename: null, url: null, ready: false } });
    expect(links.forVisitor(pending)).toBe(pending);
    const text = messageJsonFixture();
    expect(links.forVisitor(text)).toBe(text);
  });
});
