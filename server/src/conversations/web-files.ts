/**
 * The port through which an agent's file reaches a web visitor: the file (uploaded by an agent
 * with `POST /admin/api/media`) must pass the same type and size allow-list as a visitor's own
 * attachment, since the visitor opens it in their browser. Implemented by whatsapp/agent-web-files.ts.
 */
export interface WebFile {
  id: string;
  mime: string;
  filename: string | null;
}

export interface WebFiles {
  /** The agent's upload, ready to show to a visitor; a clear AppError (404, 413, 415) otherwise. */
  forVisitor(mediaId: string): Promise<WebFile>;
}

/** How the widget shows it: images inline, everything else as a download card. */
export function webFileKind(mime: string): 'image' | 'document' {
  return mime.startsWith('image/') ? 'image' : 'document';
}
