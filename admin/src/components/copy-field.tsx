/** A read-only value with a Copy button (webhook URL, verify token, snippet, a token shown once). */
import { useRef, useState } from 'preact/hooks';

export function CopyField({
  label,
  value,
  multiline = false,
  secret = false,
  rows = 3,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  secret?: boolean;
  rows?: number;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  const [shown, setShown] = useState(!secret);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      ref.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }

  const id = `copy-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline ? (
          <textarea id={id} ref={ref} readOnly rows={rows} value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
        ) : (
          <input id={id} ref={ref} readOnly type={shown ? 'text' : 'password'} value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
        )}
        {secret && (
          <button type="button" class="btn" onClick={() => setShown((v) => !v)} aria-pressed={shown}>
            {shown ? 'Hide' : 'Show'}
          </button>
        )}
        <button type="button" class="btn" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
