/** One message: text (links only for http/https), attachment, time and — for the visitor's own — state. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatItem } from '../chat/chat-items.ts';
import type { ChatSession } from '../chat/chat-session.ts';
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
  /** Lets the visitor react to the business's messages (the picker loads on first use). */
  session?: ChatSession;
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

/** 1536 → "1.5 KB": a file card's size. */
function fileSize(bytes: number | null | undefined, lang: string): string | null {
  if (!bytes) return null;
  const [n, unit] = bytes < 1024 ? [bytes, 'B'] : bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${n.toLocaleString(lang, { maximumFractionDigits: unit === 'B' ? 0 : 1 })} ${unit}`;
}

type LightboxView = typeof import('./lightbox.tsx').Lightbox;
type PickerView = typeof import('./reaction-picker.tsx').ReactionPicker;

function Attachment({ item, dict, base, lang }: { item: ChatItem; dict: Dict; base: string; lang: string }) {
  const [Lightbox, setLightbox] = useState<LightboxView | null>(null);
  const media = item.media!;
  // Agent-only URLs (/admin/...) would fail without a session: show the file's name instead.
  const href = media.url && !media.url.startsWith('/admin/') ? safeHref(new URL(media.url, base + '/').href) : null;
  const name = media.filename ?? dict.attachment;
  if (isImage(media.mime) && (item.preview || href)) {
    const alt = media.filename ?? dict.image;
    const img = <img src={item.preview ?? href!} alt={alt} />;
    if (!href) return img;
    // The lightbox's code loads on the first tap; until then (or without JS) the link opens the file.
    const open = (e: MouseEvent) => {
      e.preventDefault();
      void import('./lightbox.tsx').then((m) => setLightbox(() => m.Lightbox));
    };
    return (
      <>
        <a href={href} target="_blank" rel="noopener noreferrer" onClick={open} aria-haspopup="dialog">
          {img}
        </a>
        {Lightbox && <Lightbox src={href} alt={alt} closeLabel={dict.closeImage} onClose={() => setLightbox(null)} />}
      </>
    );
  }
  const size = fileSize(media.size, lang);
  const label = (
    <span class="fl">
      <FileIcon />
      <span>
        {name}
        {size && <small class="fs">{size}</small>}
      </span>
    </span>
  );
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer" download={name}>
      {label}
    </a>
  ) : (
    label
  );
}

type PlaceView = typeof import('./location-card.tsx').LocationCard;

/** A shared location: its summary until the card's chunk arrives. */
function Place({ item, lang }: { item: ChatItem; lang: string }) {
  const [Card, setCard] = useState<PlaceView | null>(null);
  useEffect(() => void import('./location-card.tsx').then((m) => setCard(() => m.LocationCard)), []);
  return Card ? <Card loc={item.loc!} lang={lang} /> : <MessageText text={item.text} />;
}

export function MessageBubble({ item, dict, lang, base, first, showState, onRetry, session }: BubbleProps) {
  const [Picker, setPicker] = useState<PickerView | null>(null);
  const [picking, setPicking] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const uploading = item.media && item.state === 'sending';
  const state = item.state ? dict[item.state] : null;
  return (
    <div class={`m${item.mine ? ' me' : ''}${first ? '' : ' cont'}`}>
      {!item.mine && first && <div class="who">{item.author ?? dict.support}</div>}
      <div class="bb" dir="auto">
        {item.mine && <span class="sr">{dict.you}: </span>}
        {item.quote != null && (
          <blockquote class="q">
            <span class="sr">{dict.inReplyTo}: </span>
            {item.quote}
          </blockquote>
        )}
        {item.media && <Attachment item={item} dict={dict} base={base} lang={lang} />}
        {item.loc ? <Place item={item} lang={lang} /> : item.text && <MessageText text={item.text} />}
      </div>
      {!!item.reactions?.length && (
        <div class="rx">
          {item.reactions.map((r) => (
            <span key={r.from}>{r.emoji}</span>
          ))}
        </div>
      )}
      <div class="meta">
        <time dateTime={item.at}>{formatTime(item.at, lang)}</time>
        {session && !item.mine && item.id && (
          <button
            type="button"
            class="lnk rb"
            ref={reactButton}
            aria-label={dict.react}
            title={dict.react}
            aria-expanded={picking}
            onClick={() => {
              setPicking(!picking);
              if (!Picker) void import('./reaction-picker.tsx').then((m) => setPicker(() => m.ReactionPicker));
            }}
          >
            ☺
          </button>
        )}
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
      {picking && Picker && (
        <Picker
          item={item}
          session={session!}
          lang={lang}
          onClose={() => {
            setPicking(false);
            reactButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}
