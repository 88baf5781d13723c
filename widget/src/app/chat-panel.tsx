/** The open chat: header, connection banner, the conversation (role="log") and the composer. */
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { ChatSession } from '../chat/chat-session.ts';
import type { Lang } from '../contract.ts';
import { fill, isRtl, type Dict } from '../i18n/index.ts';
import { DEFAULT_CONFIG } from './default-config.ts';
import { Composer } from './composer.tsx';
import { CloseIcon, WhatsAppIcon } from './icons.tsx';
import { IntroForm, introThanks } from './intro-form.tsx';
import { MessageBubble } from './message-bubble.tsx';
import { useSession } from './use-session.ts';
import { contrastRatio } from '../loader/contrast.ts';
import { availability, availabilityText } from './availability.ts';

/** The brand colour where it stands out on the dark panel (3:1 for focus rings), else a light blue. */
function darkAccent(brand: string): string {
  return contrastRatio(brand, '#1c1f26') >= 3 ? brand : '#8ab4f8';
}

export interface ChatPanelProps {
  open: boolean;
  session: ChatSession;
  config: WidgetConfigJson;
  dict: Dict;
  lang: Lang;
  base: string;
  introDone: boolean;
  onIntroDone: () => void;
  onClose: () => void;
}

export function ChatPanel({ open, session, config, dict, lang, base, introDone, onIntroDone, onClose }: ChatPanelProps) {
  const state = useSession(session);
  const log = useRef<HTMLDivElement>(null);
  const [thanks, setThanks] = useState<string | null>(null);
  // The survey's UI is a chunk of its own, fetched when the first survey arrives.
  const [Survey, setSurvey] = useState<typeof import('./survey-card.tsx').SurveyCard | null>(null);
  const asked = state.survey !== null;
  useEffect(() => {
    if (asked && !Survey) void import('./survey-card.tsx').then((m) => setSurvey(() => m.SurveyCard));
  }, [asked]);
  const title = config.site_name || dict.defaultTitle;
  const items = state.items;
  const lastMine = items.reduce((k, it, i) => (it.mine ? i : k), -1);
  // Quick replies (chips or a list) are a chunk of their own too, fetched when a message offers some.
  const [Quick, setQuick] = useState<typeof import('./quick-replies.tsx').QuickReplies | null>(null);
  // Offers the visitor has not answered yet: any after their latest message.
  const offered = items.some((it, i) => i > lastMine && !!it.offer);
  useEffect(() => {
    if (offered && !Quick) void import('./quick-replies.tsx').then((m) => setQuick(() => m.QuickReplies));
  }, [offered]);
  const wantsIntro = !introDone && (config.ask_name || config.ask_email || config.ask_whatsapp);
  const connected = state.connection === 'online';
  const now = new Date();
  const available = availability(config, state.agentsOnline, now);
  // Offline or reconnecting says so; connected, who is there (online now, or when we reply).
  const status = connected
    ? availabilityText(available, dict, lang, now)
    : state.connection === 'offline'
      ? dict.offlineShort
      : state.connection === 'reconnecting'
        ? dict.reconnecting
        : dict.connecting;
  const waNumber = config.whatsapp_handoff && config.whatsapp_number ? config.whatsapp_number.replace(/\D/g, '') : '';

  useLayoutEffect(() => {
    const el = log.current;
    if (el && open) el.scrollTop = el.scrollHeight;
  }, [open, items.length, state.agentTyping !== null, lastMine >= 0 ? items[lastMine]!.state : null, Survey !== null, state.survey?.phase, Quick !== null]);

  return (
    <div
      class={`p ${config.theme ?? 'auto'}${config.position === 'left' ? ' left' : ''}`}
      style={{ '--ad': darkAccent(config.color) }}
      role="dialog"
      aria-label={fill(dict.chatWith, { site: title })}
      dir={isRtl(lang) ? 'rtl' : 'ltr'}
      lang={lang}
      hidden={!open}
    >
      <div class="h">
        <div class="av" aria-hidden="true">
          {title.trim().charAt(0).toUpperCase()}
        </div>
        <div class="ht">
          <h2>{title}</h2>
          <p data-connection={state.connection}>
            <span class={connected ? (available.kind === 'online' ? 'dot' : 'dot away') : 'dot off'} aria-hidden="true" />
            {status}
          </p>
        </div>
        <button type="button" class="x" aria-label={dict.close} title={dict.close} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {state.connection !== 'online' && state.connection !== 'connecting' && (
        <p class="ban" role="status">
          {state.connection === 'offline' ? dict.offline : dict.reconnecting}
        </p>
      )}
      <div class="log" ref={log} role="log" aria-live="polite" aria-label={dict.conversation} tabIndex={0}>
        <div class="m">
          <div class="who">{title}</div>
          <div class="bb" dir="auto">
            {config.greeting === DEFAULT_CONFIG.greeting ? dict.greeting : config.greeting}
          </div>
        </div>
        {!config.online && config.away_message && (
          <p class="note" dir="auto">
            {config.away_message === DEFAULT_CONFIG.away_message ? dict.awayMessage : config.away_message}
          </p>
        )}
        {waNumber && (
          <a class="wa" href={`https://wa.me/${waNumber}`} target="_blank" rel="noopener noreferrer">
            <WhatsAppIcon />
            {dict.continueWhatsapp}
          </a>
        )}
        {wantsIntro && (
          <IntroForm
            dict={dict}
            config={config}
            initial={session.savedIdentity()}
            onSave={(identity) => {
              session.identify(identity);
              setThanks(introThanks(dict, identity));
              onIntroDone();
            }}
            onSkip={onIntroDone}
          />
        )}
        {thanks && <p class="note">{thanks}</p>}
        {items.map((item, i) => (
          <Fragment key={item.key}>
            <MessageBubble
              item={item}
              dict={dict}
              lang={lang}
              base={base}
              first={i === 0 || items[i - 1]!.mine !== item.mine}
              showState={i === lastMine}
              onRetry={(it) => session.retry(it)}
              session={session}
            />
            {i > lastMine && !!item.offer && Quick && (
              <Quick content={item.offer} onChoose={(o) => session.send(o.title, { message_id: item.id!, id: o.id })} />
            )}
          </Fragment>
        ))}
        {state.survey && Survey && <Survey state={state.survey} dict={dict} onAnswer={(rating, comment) => void session.answerSurvey(rating, comment)} />}
        {state.agentTyping !== null && (
          <div class="m">
            <div class="bb dots" role="status" aria-label={fill(dict.typing, { name: state.agentTyping || dict.support })}>
              <i />
              <i />
              <i />
            </div>
          </div>
        )}
      </div>
      <Composer dict={dict} onSend={(t) => session.send(t)} onTyping={() => session.noteTyping()} onFile={(f) => session.sendFile(f)} />
    </div>
  );
}
