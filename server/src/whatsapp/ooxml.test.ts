import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ooxmlType } from './ooxml.ts';
import { contentTypesXml, officeFile, zipOf } from '../../test-support/office-files.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ooxml-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const typeOf = async (bytes: Buffer) => {
  const file = path.join(dir, `f${n++}`);
  fs.writeFileSync(file, bytes);
  return ooxmlType(file);
};
const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

describe('ooxmlType', () => {
  it('recognises docx, xlsx and pptx by their parts and declared content types', async () => {
    expect(await typeOf(await officeFile('docx'))).toEqual({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' });
    expect((await typeOf(await officeFile('xlsx')))?.ext).toBe('xlsx');
    expect((await typeOf(await officeFile('pptx')))?.ext).toBe('pptx');
  });

  it('refuses a ZIP that only has a word/ entry', async () => {
    expect(await typeOf(await zipOf({ 'word/evil.hta': '<script>x</script>' }))).toBeNull();
    expect(await typeOf(await zipOf({ 'word/document.xml': '<x/>' }))).toBeNull(); // no [Content_Types].xml
  });

  it('refuses packages whose main part is not declared as the plain document type', async () => {
    const docm = await zipOf({
      '[Content_Types].xml': contentTypesXml([['word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml']]),
      'word/document.xml': '<x/>',
    });
    expect(await typeOf(docm)).toBeNull();
    const undeclared = await zipOf({ '[Content_Types].xml': contentTypesXml([]), 'word/document.xml': '<x/>' });
    expect(await typeOf(undeclared)).toBeNull();
  });

  it('refuses macros, two formats at once and things that are not ZIPs', async () => {
    const withVba = await zipOf({
      '[Content_Types].xml': contentTypesXml([['word/document.xml', DOCX_MAIN]]),
      'word/document.xml': '<x/>',
      'word/vbaProject.bin': Buffer.from([1, 2, 3]),
    });
    expect(await typeOf(withVba)).toBeNull();
    const both = await zipOf({
      '[Content_Types].xml': contentTypesXml([['word/document.xml', DOCX_MAIN]]),
      'word/document.xml': '<x/>',
      'xl/workbook.xml': '<x/>',
    });
    expect(await typeOf(both)).toBeNull();
    expect(await typeOf(Buffer.from('PK\u0003\u0004 not really a zip'))).toBeNull();
  });
});
