/** Message text with its http(s) links clickable (opened in a new tab); everything else stays text. */
import { linkify } from '@connectdesk/shared/linkify';

export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((s, i) =>
        s.href ? (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer" class="msg-link">
            {s.text}
          </a>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
