/**
 * Reply, internal note or template. Enter sends, Shift+Enter is a new line, "/" at the start
 * suggests canned responses. For WhatsApp the 24-hour window decides: inside it a countdown,
 * outside it the composer explains why and becomes a template picker.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import type { CannedResponse, ConversationJson, MessageJson, TemplateJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { useNow } from '../lib/use-now.ts';
import { WINDOW_CLOSED_TEXT, windowView } from '../lib/window-view.ts';
import { ClipIcon, PinIcon } from './icons.tsx';
import { TemplatePicker } from './template-picker.tsx';
import { AttachmentPreview } from './attachment-preview.tsx';
import { templateVariables, type TemplateFill } from '@connectdesk/shared/template-fill';
import { FormError } from './form-error.tsx';
import { EmojiButton } from './emoji-button.tsx';
import { LocationForm } from './location-form.tsx';
import { QuickReplyEditor } from './quick-reply-editor.tsx';
import { ReplyPreview } from './reply-preview.tsx';

type Mode = 'reply' | 'note' | 'template' | 'quick';
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** What WhatsApp carries; what a website visitor may receive (the visitors' own upload allow-list). */
const WHATSAPP_FILES = 'image/jpeg,image/png,image/webp,audio/*,video/mp4,video/3gpp,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv';
const WEB_FILES = 'image/jpeg,image/png,image/webp,image/gif,application/pdf,.docx,.xlsx,.pptx,.txt,.csv';

export function Composer({
  conversation,
  onSent,
  replyTo = null,
  onClearReply = () => {},
}: {
  conversation: ConversationJson;
  onSent: (m: MessageJson) => void;
  /** The message the next reply or file quotes (`reply_to`), shown above the box with a cancel. */
  replyTo?: MessageJson | null;
  onClearReply?: () => void;
}) {
  const { api, socket } = useApp();
  const now = useNow(15_000);
  const w = windowView(conversation, now);
  const whatsapp = conversation.channel === 'whatsapp';
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The last reply reached the web chat but not the visitor's WhatsApp, and why. */
  const [notice, setNotice] = useState<string | null>(null);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [showCanned, setShowCanned] = useState(false);
  const [placing, setPlacing] = useState(false);
  const [suggestion, setSuggestion] = useState(0);
  /** A canned response with quick-reply buttons, inserted into the quick replies editor. */
  const [cannedQuick, setCannedQuick] = useState<{ body: string; buttons?: CannedResponse['buttons'] } | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const typingOn = useRef(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const quote = replyTo ? { reply_to: replyTo.id } : {};
  useEffect(() => {
    if (!replyTo) return;
    setMode('reply');
    textRef.current?.focus();
  }, [replyTo]);

  const closed = whatsapp && !w.open;
  const effectiveMode: Mode = closed && (mode === 'reply' || mode === 'quick') ? 'template' : mode;

  useEffect(() => {
    api.canned().then(
      (r) => setCanned(r.data),
      () => setCanned([]),
    );
  }, [api]);

  // A new conversation starts in reply mode with an empty box.
  useEffect(() => {
    setMode('reply');
    setCannedQuick(null);
    setText('');
    setFile(null);
    setError(null);
    setNotice(null);
    setPlacing(false);
    return () => stopTyping();
  }, [conversation.id]);

  function stopTyping() {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    if (typingOn.current) socket?.emit('typing', { conversation_id: conversation.id, on: false });
    typingOn.current = false;
  }

  function typed() {
    if (effectiveMode !== 'reply') return;
    if (!typingOn.current) {
      typingOn.current = true;
      socket?.emit('typing', { conversation_id: conversation.id, on: true });
    }
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, 4000);
  }

  const slash = /^\/([\w-]*)$/.exec(text.trim());
  const suggestions = slash ? canned.filter((c) => c.shortcut.toLowerCase().startsWith(slash[1]!.toLowerCase())).slice(0, 6) : [];

  function insertCanned(c: CannedResponse) {
    setShowCanned(false);
    if (c.buttons?.length && !closed) {
      setText('');
      setCannedQuick({ body: c.text, buttons: c.buttons });
      setMode('quick');
      return;
    }
    setText(c.text);
    textRef.current?.focus();
  }

  async function send() {
    const body = text.trim();
    if (busy || (!body && !file)) return;
    if (body.length > (file ? MAX_CAPTION : MAX_TEXT)) {
      setError(file ? `A caption can be at most ${MAX_CAPTION} characters.` : `A message can be at most ${MAX_TEXT} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    stopTyping();
    try {
      let message: MessageJson;
      if (effectiveMode === 'note') {
        ({ message } = await api.sendMessage(conversation.id, { message_type: 'note', text: body }));
      } else if (file) {
        const { media_id } = await api.uploadMedia(file);
        ({ message } = await api.sendMessage(conversation.id, { message_type: 'media', media_id, ...(body ? { caption: body } : {}), ...quote }));
      } else {
        const sent = await api.sendMessage(conversation.id, { message_type: 'text', text: body, ...quote });
        message = sent.message;
        if (sent.continuation?.status === 'refused') setNotice(`Sent in the chat only, not to WhatsApp: ${sent.continuation.error.message}.`);
      }
      onSent(message);
      if (effectiveMode !== 'note') onClearReply();
      setText('');
      setFile(null);
      textRef.current?.focus();
    } catch (err) {
      const e = err as ApiError;
      setError(e.code === 'window_closed' ? `${WINDOW_CLOSED_TEXT}.` : e.message);
    } finally {
      setBusy(false);
    }
  }

  async function sendTemplate(t: TemplateJson, fill: TemplateFill) {
    const positional = t.parameter_format !== 'NAMED' && !Array.isArray(fill.parameters);
    const parameters = positional ? templateVariables(t, t.body).map((v) => (fill.parameters as Record<string, string>)[v] ?? '') : (fill.parameters ?? []);
    const { message } = await api.sendMessage(conversation.id, {
      message_type: 'template',
      template: {
        name: t.name,
        language: t.language,
        parameters: parameters as string[] | Record<string, string>,
        ...(fill.header_parameters ? { header_parameters: fill.header_parameters as Record<string, string> } : {}),
        ...(fill.header ? { header: fill.header } : {}),
        ...(fill.buttons?.length ? { buttons: [...fill.buttons] } : {}),
      },
    });
    onSent(message);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSuggestion((s) => (s + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        insertCanned(suggestions[Math.min(suggestion, suggestions.length - 1)]!);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  const tabs: { id: Mode; label: string; show: boolean }[] = [
    { id: 'reply', label: 'Reply', show: true },
    { id: 'quick', label: 'Quick replies', show: true },
    { id: 'note', label: 'Internal note', show: true },
    { id: 'template', label: 'Template', show: whatsapp },
  ];

  return (
    <div class={`composer composer-${effectiveMode}`}>
      <div class="composer-tabs" role="group" aria-label="Compose">
        {tabs
          .filter((t) => t.show)
          .map((t) => (
            <button
              key={t.id}
              type="button"
              class="tab"
              aria-pressed={effectiveMode === t.id}
              disabled={(t.id === 'reply' || t.id === 'quick') && closed}
              title={(t.id === 'reply' || t.id === 'quick') && closed ? 'The 24-hour window is closed' : undefined}
              onClick={() => setMode(t.id)}
            >
              {t.label}
            </button>
          ))}
        {whatsapp && w.open && (
          <span class={`composer-window ${w.urgent ? 'is-urgent' : ''}`} role="timer" aria-live="off">
            {w.label}
          </span>
        )}
      </div>

      {closed && effectiveMode === 'template' && (
        <p class="window-closed" role="status">
          {WINDOW_CLOSED_TEXT}.
        </p>
      )}

      {effectiveMode === 'template' ? (
        <TemplatePicker onSend={sendTemplate} autoFocus={mode === 'template'} />
      ) : effectiveMode === 'quick' ? (
        <QuickReplyEditor
          initial={cannedQuick}
          onSend={async (interactive) => {
            onSent((await api.sendMessage(conversation.id, { message_type: 'interactive', interactive })).message);
            setCannedQuick(null);
          }}
        />
      ) : (
        <form
          class="composer-form"
          onDragOver={(e) => effectiveMode === 'reply' && e.dataTransfer?.types.includes('Files') && e.preventDefault()}
          onDrop={(e) => {
            const dropped = effectiveMode === 'reply' ? e.dataTransfer?.files[0] : undefined;
            if (dropped) {
              e.preventDefault();
              setFile(dropped);
            }
          }}
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          {suggestions.length > 0 && (
            <ul class="suggestions" role="listbox" aria-label="Canned responses">
              {suggestions.map((c, i) => (
                <li
                  key={c.id}
                  role="option"
                  aria-selected={i === suggestion}
                  class={i === suggestion ? 'is-active' : ''}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    insertCanned(c);
                  }}
                >
                  <strong>/{c.shortcut}</strong> <span>{c.text}</span>
                </li>
              ))}
            </ul>
          )}
          {placing && effectiveMode === 'reply' && <LocationForm conversationId={conversation.id} onSent={onSent} onClose={() => setPlacing(false)} />}
          {replyTo && effectiveMode === 'reply' && <ReplyPreview m={replyTo} onCancel={onClearReply} />}
          {file && <AttachmentPreview file={file} onRemove={() => setFile(null)} />}
          <label class="visually-hidden" for="composer-text">
            {effectiveMode === 'note' ? 'Internal note' : 'Message'}
          </label>
          <textarea
            id="composer-text"
            ref={textRef}
            rows={3}
            value={text}
            placeholder={
              effectiveMode === 'note'
                ? 'Only your team sees notes'
                : file
                  ? 'Add a caption (optional)'
                  : `Reply${conversation.channel === 'whatsapp' ? ' on WhatsApp' : ''} — Enter sends, Shift+Enter new line, / for canned responses`
            }
            onInput={(e) => {
              setText(e.currentTarget.value);
              setSuggestion(0);
              typed();
            }}
            onKeyDown={onKeyDown}
            onPaste={(e) => {
              const pasted = effectiveMode === 'reply' ? e.clipboardData?.files[0] : undefined;
              if (pasted) {
                e.preventDefault();
                setFile(pasted);
              }
            }}
          />
          <FormError error={error} />
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          <div class="composer-actions">
            {effectiveMode === 'reply' && (
              <>
                <input
                  ref={fileRef}
                  type="file"
                  class="visually-hidden"
                  id="composer-file"
                  aria-label="Attach file"
                  tabIndex={-1}
                  accept={whatsapp ? WHATSAPP_FILES : WEB_FILES}
                  onChange={(e) => {
                    setFile(e.currentTarget.files?.[0] ?? null);
                    e.currentTarget.value = '';
                  }}
                />
                <button type="button" class="btn btn-ghost" onClick={() => fileRef.current?.click()}>
                  <ClipIcon /> Attach file
                </button>
                <button type="button" class="btn btn-ghost" aria-expanded={placing} onClick={() => setPlacing((v) => !v)}>
                  <PinIcon /> Location
                </button>
              </>
            )}
            <EmojiButton
              target={textRef}
              onInsert={(value) => {
                setText(value);
                typed();
              }}
            />
            {canned.length > 0 && (
              <div class="popover-wrap">
                <button type="button" class="btn btn-ghost" aria-expanded={showCanned} onClick={() => setShowCanned((v) => !v)}>
                  Canned responses
                </button>
                {showCanned && (
                  <ul class="popover" aria-label="Canned responses">
                    {canned.map((c) => (
                      <li key={c.id}>
                        <button type="button" onClick={() => insertCanned(c)}>
                          <strong>/{c.shortcut}</strong>
                          <span>{c.text}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <button type="submit" class={`btn ${effectiveMode === 'note' ? 'btn-note' : 'btn-primary'}`} disabled={busy || (!text.trim() && !file)}>
              {busy ? 'Sending…' : effectiveMode === 'note' ? 'Add note' : 'Send'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
