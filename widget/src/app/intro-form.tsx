/** Optional pre-chat details (name, email, WhatsApp number + consent). Never blocks writing. */
import { useState } from 'preact/hooks';
import { normalizeWaId } from '@connectdesk/shared/phone';
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { VisitorIdentity } from '../chat/chat-session.ts';
import { fill, type Dict } from '../i18n/index.ts';

export interface IntroFormProps {
  dict: Dict;
  config: WidgetConfigJson;
  initial: VisitorIdentity;
  onSave: (identity: VisitorIdentity) => void;
  onSkip: () => void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function IntroForm({ dict, config, initial, onSave, onSkip }: IntroFormProps) {
  const [name, setName] = useState(initial.name ?? '');
  const [email, setEmail] = useState(initial.email ?? '');
  const [phone, setPhone] = useState(initial.phone ?? '');
  const [consent, setConsent] = useState(initial.whatsapp_consent ?? false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: Event) => {
    e.preventDefault();
    const out: VisitorIdentity = {};
    if (name.trim()) out.name = name.trim();
    if (email.trim()) {
      if (!EMAIL.test(email.trim())) return setError(dict.invalidEmail);
      out.email = email.trim();
    }
    if (phone.trim()) {
      const waId = normalizeWaId(phone);
      if (!waId) return setError(dict.invalidPhone);
      out.phone = `+${waId}`;
      out.whatsapp_consent = consent;
    }
    setError(null);
    onSave(out);
  };

  return (
    <form class="card" onSubmit={submit} noValidate>
      <h3>{dict.introTitle}</h3>
      {config.ask_name && (
        <label class="fd">
          {dict.name}
          <input class="in" name="name" autoComplete="name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
      )}
      {config.ask_email && (
        <label class="fd">
          {dict.email}
          <input class="in" name="email" type="email" autoComplete="email" maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
      )}
      {config.ask_whatsapp && (
        <>
          <label class="fd">
            {dict.whatsapp}
            <input
              class="in"
              name="phone"
              type="tel"
              dir="ltr"
              autoComplete="tel"
              maxLength={32}
              placeholder="+44 7700 900123"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
          </label>
          <label class="ck">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
            <span>{dict.consent}</span>
          </label>
        </>
      )}
      {error && (
        <p class="err" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" class="btn ghost" onClick={onSkip}>
          {dict.skip}
        </button>
        <button type="submit" class="btn">
          {dict.save}
        </button>
      </div>
    </form>
  );
}

export function introThanks(dict: Dict, identity: VisitorIdentity): string {
  return identity.name ? fill(dict.saved, { name: identity.name }) : dict.savedAnon;
}
