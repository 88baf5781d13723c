import { describe, expect, it } from 'vitest';
import { checkFile, MAX_FILE_BYTES } from './attachments.ts';

describe('attachment checks before upload', () => {
  it('accepts images, PDFs and common documents up to 10 MB', () => {
    expect(checkFile({ name: 'a.jpg', size: 1000, type: 'image/jpeg' })).toBeNull();
    expect(checkFile({ name: 'a.pdf', size: MAX_FILE_BYTES, type: 'application/pdf' })).toBeNull();
    expect(checkFile({ name: 'plan.docx', size: 5000, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBeNull();
    expect(checkFile({ name: 'sheet.xlsx', size: 5000, type: '' })).toBeNull();
  });

  it('refuses files over 10 MB, empty files and other types', () => {
    expect(checkFile({ name: 'big.png', size: MAX_FILE_BYTES + 1, type: 'image/png' })).toBe('too_big');
    expect(checkFile({ name: 'empty.txt', size: 0, type: 'text/plain' })).toBe('empty');
    expect(checkFile({ name: 'run.exe', size: 10, type: 'application/x-msdownload' })).toBe('bad_type');
    expect(checkFile({ name: 'page.html', size: 10, type: 'text/html' })).toBe('bad_type');
    expect(checkFile({ name: 'image.svg', size: 10, type: 'image/svg+xml' })).toBe('bad_type');
    expect(checkFile({ name: 'noext', size: 10, type: 'application/octet-stream' })).toBe('bad_type');
  });
});
