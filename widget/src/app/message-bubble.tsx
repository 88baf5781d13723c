/** One message: text (links only for http/https), attachment, time and — for the visitor's own — state. */
import type { ChatItem } from '../chat/chat-items.ts';
import { isImage } from '../chat/attachments.ts';
import type { Dict } from '../i18n/index.ts';
import { formatTime } from './format-time.ts';
import { FileIcon } from './icons.tsx';
import { linkify, safeHref } from '@connectdesk/shared/linkify';

export interface BubbleProps {
  item: ChatItem;
  dict: Dict;
  lang: string;
  base: string;
  /** First of a run from the same side (shows the author's name). */
  first: boolean;
  /** Show the delivery state (the visitor's latest message, or one not yet sent). */
  showState: boolean;
  onRetry: (item: ChatItem) => void;
}

function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((s, i) =>
        s.href ? (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">
            {s.text}
          </a>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

function Attachment({ item, dict, base }: { item: ChatItem; dict: Dict; base: string }) {
  const media = item.media!;
  // Agent-only URLs (/admin/...) would fail without a session: show the file's name instead.
  const href = media.url && !media.url.startsWith('/admin/') ? safeHref(new URL(media.url, base + '/').href) : null;
  const name = media.filename ?? dict.attachment;
  if (isImage(media.mime) && (item.preview || href)) {
    const img = <img src={item.preview ?? href!} alt={media.filename ?? dict.image} />;
    return href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {img}
      </a>
    ) : (
      img
    );
  }
  const label = (
    <span class="fl">
      <FileIcon />
      {name}
    </span>
  );
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  ) : (
    label
  );
}

export function MessageBubble({ item, dict, lang, base, first, showState, onRetry }: BubbleProps) {
  const uploading = item.media && item.state === 'sending';
  const state = item.state ? dict[item.state] : null;
  return (
    <div class={`m${item.mine ? ' me' : ''}${first ? '' : ' cont'}`}>
      {!item.mine && first && <div class="who">{item.author ?? dict.support}</div>}
      <div class="bb" dir="auto">
        {item.mine && <span class="sr">{dict.you}: </span>}
        {item.media && <Attachment item={item} dict={dict} base={base} />}
        {item.text && <MessageText text={item.text} />}
      </div>
      <div class="meta">
        <time dateTime={item.at}>{formatTime(item.at, lang)}</time>
        {item.state === 'failed' ? (
          <>
            <span class="bad">{dict.failed}</span>
            <button type="button" class="lnk" onClick={() => onRetry(item)}>
              {dict.retry}
            </button>
          </>
        ) : (
          (showState || item.state === 'sending') && state && <span data-state={item.state}>{uploading ? dict.uploading : state}</span>
        )}
      </div>
    </div>
  );
}
