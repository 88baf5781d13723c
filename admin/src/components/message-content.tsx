/**
 * Type-faithful rendering of one message's content: text, images and stickers inline, audio and
 * video players, documents as downloads, locations with a map link, contact cards, interactive
 * replies, templates. Everything a customer sent is rendered as text (never as HTML).
 */
import type { MessageJson } from '../api/types.ts';
import { formatBytes } from '../lib/format.ts';
import { FileIcon, PinIcon } from './icons.tsx';
import { LinkedText } from './linked-text.tsx';
import { quickReplyOffer } from '@connectdesk/shared/quick-replies';
import { QuickReplyOfferView } from './quick-reply-offer.tsx';
import { contactCards, interactiveView, locationView, reactionEmoji, typedContent, unsupportedType } from '../lib/message-view.ts';

function Caption({ m }: { m: MessageJson }) {
  const c = typedContent(m);
  const caption = typeof c?.caption === 'string' ? c.caption : m.type === 'document' ? null : m.text;
  if (!caption || /^\[(image|video|audio|sticker|document)\]$/i.test(caption)) return null;
  return (
    <p class="msg-text">
      <LinkedText text={caption} />
    </p>
  );
}

function MediaUnavailable({ m, what }: { m: MessageJson; what: string }) {
  return <p class="msg-media-missing">{m.media && !m.media.ready ? `${what} — downloading…` : `${what} (not available)`}</p>;
}

export function MessageContent({ m }: { m: MessageJson }) {
  if (m.deleted) return <p class="msg-text msg-deleted">This message was deleted.</p>;
  const url = m.media?.ready ? m.media.url : null;
  switch (m.type) {
    case 'image':
    case 'sticker': {
      const what = m.type === 'sticker' ? 'Sticker' : 'Image';
      return (
        <>
          {url ? (
            <a href={url} target="_blank" rel="noopener" class={`msg-image-link ${m.type === 'sticker' ? 'is-sticker' : ''}`}>
              <img
                src={url}
                alt={m.text && m.type === 'image' ? `Image: ${m.text}` : what}
                class={m.type === 'sticker' ? 'msg-sticker' : 'msg-image'}
                loading="lazy"
              />
            </a>
          ) : (
            <MediaUnavailable m={m} what={what} />
          )}
          {m.type === 'image' && <Caption m={m} />}
        </>
      );
    }
    case 'audio':
      return url ? <audio controls preload="none" src={url} class="msg-audio" aria-label="Voice message" /> : <MediaUnavailable m={m} what="Audio" />;
    case 'video':
      return (
        <>
          {url ? <video controls preload="metadata" src={url} class="msg-video" aria-label="Video" /> : <MediaUnavailable m={m} what="Video" />}
          <Caption m={m} />
        </>
      );
    case 'document': {
      const c = typedContent(m);
      const name = m.media?.filename ?? (typeof c?.filename === 'string' ? c.filename : null) ?? 'Document';
      return (
        <>
          {url ? (
            <a href={url} download={name} class="msg-document">
              <FileIcon />
              <span>
                <span class="doc-name">{name}</span>
                <span class="doc-size">{[m.media?.mime, formatBytes(m.media?.size)].filter(Boolean).join(' · ')}</span>
              </span>
            </a>
          ) : (
            <MediaUnavailable m={m} what={`Document ${name}`} />
          )}
          {typeof c?.caption === 'string' && c.caption && (
            <p class="msg-text">
              <LinkedText text={c.caption} />
            </p>
          )}
        </>
      );
    }
    case 'location': {
      const loc = locationView(m);
      if (!loc) return <p class="msg-text">{m.text || 'Location'}</p>;
      return (
        <div class="msg-location">
          <p class="loc-title">
            <PinIcon /> {loc.name ?? 'Location'}
          </p>
          {loc.address && <p class="loc-address">{loc.address}</p>}
          <p class="loc-coords">{loc.coordinates}</p>
          <a href={loc.mapUrl} target="_blank" rel="noopener noreferrer">
            Open in OpenStreetMap
          </a>
        </div>
      );
    }
    case 'contacts': {
      const cards = contactCards(m);
      if (cards.length === 0) return <p class="msg-text">{m.text || 'Contact card'}</p>;
      return (
        <ul class="msg-contacts" aria-label="Shared contacts">
          {cards.map((c, i) => (
            <li key={i} class="contact-card">
              <span class="contact-card-name">{c.name}</span>
              {c.organization && <span class="contact-card-line">{c.organization}</span>}
              {c.phones.map((p) => (
                <span key={p} class="contact-card-line">
                  {p}
                </span>
              ))}
              {c.emails.map((e) => (
                <span key={e} class="contact-card-line">
                  {e}
                </span>
              ))}
            </li>
          ))}
        </ul>
      );
    }
    case 'interactive':
    case 'button': {
      const offer = m.direction === 'outbound' ? quickReplyOffer(m.content) : null;
      if (offer) return <QuickReplyOfferView offer={offer} />;
      const v = interactiveView(m);
      return (
        <div class="msg-interactive">
          <span class="interactive-kind">{v?.kind ?? 'Reply'}</span>
          <p class="msg-text">{v?.title ?? m.text}</p>
          {v?.description && <p class="interactive-desc">{v.description}</p>}
        </div>
      );
    }
    case 'reaction':
      return (
        <p class="msg-text msg-reaction-only">
          Reacted <span class="reaction-emoji">{reactionEmoji(m) ?? ''}</span>
          {m.context?.text ? ` to “${m.context.text}”` : ''}
        </p>
      );
    case 'template':
      return (
        <div class="msg-template">
          <span class="interactive-kind">Template{m.template && <span class="tpl-name">{` · ${m.template.name} (${m.template.language})`}</span>}</span>
          <p class="msg-text">
            <LinkedText text={m.text} />
          </p>
        </div>
      );
    case 'unsupported': {
      const kind = unsupportedType(m);
      return <p class="msg-text msg-muted">{`Unsupported message${kind ? ` (${kind.replace(/_/g, ' ')})` : ''} — open WhatsApp on a phone to see it.`}</p>;
    }
    default:
      return <p class="msg-text">{m.text ? <LinkedText text={m.text} /> : `[${m.type}]`}</p>;
  }
}
