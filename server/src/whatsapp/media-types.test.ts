import { describe, expect, it } from 'vitest';
import { isInlineMime, sniffMediaType, whatsappMediaType } from './media-types.ts';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffMediaType', () => {
  it('recognises allow-listed files by their first bytes', () => {
    expect(sniffMediaType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))?.mime).toBe('image/jpeg');
    expect(sniffMediaType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'))?.mime).toBe('image/png');
    expect(sniffMediaType(bytes('GIF89a', [1, 0, 1, 0]))?.mime).toBe('image/gif');
    expect(sniffMediaType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))?.mime).toBe('image/webp');
    expect(sniffMediaType(bytes('%PDF-1.7\n'))?.mime).toBe('application/pdf');
    expect(sniffMediaType(bytes('OggS', [0, 2]))?.mime).toBe('audio/ogg');
    expect(sniffMediaType(bytes([0, 0, 0, 0x18], 'ftypmp42'))?.mime).toBe('video/mp4');
    expect(sniffMediaType(bytes([0, 0, 0, 0x18], 'ftypM4A '))?.mime).toBe('audio/mp4');
    expect(sniffMediaType(Buffer.from('Order 123\nThanks!\n'), 'notes.txt')).toEqual({ mime: 'text/plain', ext: 'txt' });
    expect(sniffMediaType(Buffer.from('a,b\n1,2\n'), 'sheet.csv')?.mime).toBe('text/csv');
  });

  it('refuses anything else, whatever its name says', () => {
    expect(sniffMediaType(bytes('MZ', [0x90, 0, 3, 0]), 'invoice.pdf')).toBeNull(); // a Windows executable
    expect(sniffMediaType(bytes([0x7f], 'ELF', [2, 1, 1]), 'photo.jpg')).toBeNull();
    expect(sniffMediaType(bytes([0x50, 0x4b, 0x03, 0x04], 'payload/evil.sh'))).toBeNull(); // a plain ZIP
    // Not even one that names Office parts up front: ZIPs are judged by their parts (ooxml.ts).
    expect(sniffMediaType(bytes([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/evil.hta'))).toBeNull();
    expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
    expect(sniffMediaType(bytes('<html>', [0, 0, 1]))).toBeNull();
  });
});

describe('whatsappMediaType / isInlineMime', () => {
  it('maps types to the Cloud API media kind', () => {
    expect(whatsappMediaType('image/jpeg')).toBe('image');
    expect(whatsappMediaType('image/webp')).toBe('sticker');
    expect(whatsappMediaType('image/gif')).toBe('document');
    expect(whatsappMediaType('audio/ogg')).toBe('audio');
    expect(whatsappMediaType('video/mp4')).toBe('video');
    expect(whatsappMediaType('application/pdf')).toBe('document');
  });

  it('shows media inline and downloads everything else', () => {
    expect(isInlineMime('image/png')).toBe(true);
    expect(isInlineMime('audio/ogg; codecs=opus')).toBe(true);
    expect(isInlineMime('application/pdf')).toBe(false);
    expect(isInlineMime('image/svg+xml')).toBe(false);
    expect(isInlineMime(null)).toBe(false);
  });
});
