/** The message box: Enter sends, Shift+Enter adds a line; attach checks files before upload. */
import { useRef, useState } from 'preact/hooks';
import { ACCEPT, type FileProblem } from '../chat/attachments.ts';
import type { Dict } from '../i18n/index.ts';
import { ClipIcon, SendIcon } from './icons.tsx';

export interface ComposerProps {
  dict: Dict;
  onSend: (text: string) => void;
  onTyping: () => void;
  onFile: (file: File) => FileProblem | null;
}

const MAX_TEXT = 4096;

export function Composer({ dict, onSend, onTyping, onFile }: ComposerProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);

  const grow = () => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 120)}px`;
  };
  const send = () => {
    if (!text.trim()) return;
    onSend(text);
    setText('');
    setProblem(null);
    if (box.current) {
      box.current.value = '';
      grow();
      box.current.focus();
    }
  };
  const pick = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const chosen = input.files?.[0];
    input.value = '';
    if (!chosen) return;
    const refused = onFile(chosen);
    setProblem(refused === 'too_big' ? dict.fileTooBig : refused ? dict.fileType : null);
  };

  return (
    <form
      class="c"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <input ref={file} type="file" accept={ACCEPT} hidden tabIndex={-1} aria-label={dict.attach} onChange={pick} />
      <button type="button" class="ib" aria-label={dict.attach} title={dict.attach} onClick={() => file.current?.click()}>
        <ClipIcon />
      </button>
      <div class="cw">
        <textarea
          ref={box}
          class="ta"
          rows={1}
          maxLength={MAX_TEXT}
          aria-label={dict.message}
          placeholder={dict.placeholder}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setProblem(null);
            grow();
            onTyping();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
      </div>
      <button type="submit" class="ib send" aria-label={dict.send} title={dict.send}>
        <SendIcon />
      </button>
      {problem && (
        <p class="err" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
