/**
 * Office Open XML (.docx, .xlsx, .pptx) verified from the ZIP's central directory rather than a
 * name seen near the start of the file: the package must have `[Content_Types].xml`, exactly one
 * main part (word/document.xml, xl/workbook.xml or ppt/presentation.xml), and declare that part
 * with the plain (not macro-enabled, not template) content type; no VBA project anywhere. Only
 * `[Content_Types].xml` is inflated, with a size cap, so a ZIP bomb costs nothing.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { SniffedType } from './media-types.ts';

interface OfficeFormat extends SniffedType {
  mainPart: string;
  mainContentType: string;
}

const FORMATS: OfficeFormat[] = [
  {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    mainPart: 'word/document.xml',
    mainContentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  },
  {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    mainPart: 'xl/workbook.xml',
    mainContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  },
  {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ext: 'pptx',
    mainPart: 'ppt/presentation.xml',
    mainContentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
  },
];

const CONTENT_TYPES = '[Content_Types].xml';
const MAX_ENTRIES = 20_000;
const MAX_CONTENT_TYPES_BYTES = 512 * 1024;

async function readSmall(stream: Readable, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `PartName` → `ContentType` of every `<Override>` in `[Content_Types].xml`. */
function overrides(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const tag of xml.match(/<Override\b[^>]*>/g) ?? []) {
    const part = /\bPartName\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    const type = /\bContentType\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    if (part && type) out.set(part.toLowerCase(), type.trim());
  }
  return out;
}

/** The Office format of the ZIP at `file`, or null if it is not exactly one of them. */
export async function ooxmlType(file: string): Promise<SniffedType | null> {
  let zip: yauzl.ZipFile | null = null;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
    if (zip.entryCount > MAX_ENTRIES) return null;
    const names = new Set<string>();
    let contentTypes: yauzl.Entry | null = null;
    for await (const entry of zip.eachEntry()) {
      names.add(entry.fileName);
      if (entry.fileName === CONTENT_TYPES) contentTypes = entry;
      if (/(^|\/)vbaProject\.bin$/i.test(entry.fileName)) return null;
    }
    const present = FORMATS.filter((f) => names.has(f.mainPart));
    if (!contentTypes || present.length !== 1 || contentTypes.uncompressedSize > MAX_CONTENT_TYPES_BYTES) return null;
    const format = present[0]!;
    const xml = await readSmall(await zip.openReadStreamPromise(contentTypes), MAX_CONTENT_TYPES_BYTES);
    if (!xml || overrides(xml).get(`/${format.mainPart}`) !== format.mainContentType) return null;
    return { mime: format.mime, ext: format.ext };
  } catch {
    return null; // not a readable ZIP
  } finally {
    zip?.close();
  }
}
