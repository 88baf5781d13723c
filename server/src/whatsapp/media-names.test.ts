import { describe, expect, it } from 'vitest';
import { safeFilename, servedType } from './media-names.ts';

describe('safeFilename', () => {
  it('keeps a name whose extension matches its type', () => {
    expect(safeFilename('receipt.png', 'image/png')).toBe('receipt.png');
    expect(safeFilename('Photo.JPEG', 'image/jpeg')).toBe('Photo.JPEG');
    expect(safeFilename('invoice März.pdf', 'application/pdf')).toBe('invoice März.pdf');
    expect(safeFilename('voice.opus', 'audio/ogg; codecs=opus')).toBe('voice.opus');
  });

  it('replaces a dangerous or wrong extension with the type’s own', () => {
    expect(safeFilename('evil.html', 'image/png')).toBe('evil.png');
    expect(safeFilename('evil.hta', 'text/plain')).toBe('evil.txt');
    expect(safeFilename('drawing.svg', 'text/plain')).toBe('drawing.txt');
    expect(safeFilename('report.docx.exe', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('report.docx.docx');
    expect(safeFilename('notes', 'text/plain')).toBe('notes.txt');
    expect(safeFilename('page.html', 'text/html')).toBe('page.bin');
  });

  it('strips paths, control and shell characters, and never leaves an empty or dot name', () => {
    expect(safeFilename('../../etc/passwd', 'text/plain')).toBe('passwd.txt');
    expect(safeFilename('C:\\Users\\a\\x<y>.png', 'image/png')).toBe('xy.png');
    expect(safeFilename('..', 'image/png')).toBe('file.png');
    expect(safeFilename('.htaccess', 'text/plain')).toBe('htaccess.txt');
    expect(safeFilename(null, 'application/pdf')).toBe('file.pdf');
  });
});

describe('servedType', () => {
  it('serves known types as themselves and anything else as opaque bytes', () => {
    expect(servedType('image/png')).toBe('image/png');
    expect(servedType('audio/ogg; codecs=opus')).toBe('audio/ogg; codecs=opus');
    expect(servedType('text/html')).toBe('application/octet-stream');
    expect(servedType('image/svg+xml')).toBe('application/octet-stream');
    expect(servedType(null)).toBe('application/octet-stream');
  });
});
