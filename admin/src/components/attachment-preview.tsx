/** The file an agent is about to send, before it goes: a thumbnail for images, its name and size, Remove. */
import { useEffect, useState } from 'preact/hooks';
import { formatBytes } from '../lib/format.ts';
import { ClipIcon } from './icons.tsx';

export function AttachmentPreview({ file, onRemove }: { file: File; onRemove: () => void }) {
  const [thumb, setThumb] = useState<string | null>(null);
  useEffect(() => {
    if (!file.type.startsWith('image/')) return setThumb(null);
    const url = URL.createObjectURL(file);
    setThumb(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  return (
    <figure class="attachment" aria-label="Attachment to send">
      {thumb ? <img src={thumb} alt={`Preview of ${file.name}`} class="attachment-thumb" /> : <ClipIcon />}
      <figcaption>
        {file.name} <span class="muted">{formatBytes(file.size)}</span>
      </figcaption>
      <button type="button" class="btn btn-link" onClick={onRemove} aria-label={`Remove attachment ${file.name}`}>
        Remove
      </button>
    </figure>
  );
}
