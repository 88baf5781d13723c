/**
 * "How did we do?": five ratings as real radio buttons (keyboard and screen readers work as they
 * always do), an optional comment and Send. Loaded only when a survey arrives, with its styles.
 */
import { useState } from 'preact/hooks';
import type { SurveyState } from '../chat/chat-session.ts';
import { fill, type Dict } from '../i18n/index.ts';

const CSS = `.sv fieldset{border:0;margin:0 0 6px;padding:0}
.sv legend{padding:0;margin:0 0 8px;font-size:14px;font-weight:600}
.rt{display:flex;gap:6px}
.rt label{flex:1;position:relative}
.rt input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.rt span{display:flex;flex-direction:column;align-items:center;padding:6px 0;border:1px solid #b8bfca;border-radius:10px;font-size:18px;line-height:22px;color:#6b7280;background:#fff}
.rt span b{font-size:12px;font-weight:600;color:#374151}
.rt input:checked+span{border-color:var(--cd-accent);background:var(--cd-accent);color:#fff}
.rt input:checked+span b{color:#fff}
.rt input:focus-visible+span{outline:3px solid #1d4ed8;outline-offset:2px}
.svl{min-height:18px;margin:6px 0 8px;font-size:13px;color:#374151}
.sv .ta{border-radius:10px;min-height:60px}`;

export function SurveyCard({ state, dict, onAnswer }: { state: SurveyState; dict: Dict; onAnswer: (rating: number, comment: string) => void }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const id = `sv-${state.survey.id}`;
  const settled = state.phase === 'done' || state.phase === 'closed';
  return (
    <div class="card sv" role="group" aria-labelledby={`${id}-q`}>
      <style>{CSS}</style>
      <h3 id={`${id}-q`}>{dict.surveyQuestion}</h3>
      {settled ? (
        <p class="svl" role="status">
          {state.phase === 'done' ? dict.surveyThanks : dict.surveyClosed}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (rating) onAnswer(rating, comment);
          }}
        >
          <fieldset>
            <legend class="svl">{rating ? dict.surveyLabels[rating - 1] : fill(dict.surveyRating, { n: '1–5' })}</legend>
            <div class="rt">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n}>
                  <input
                    type="radio"
                    name={id}
                    value={n}
                    checked={rating === n}
                    aria-label={`${fill(dict.surveyRating, { n: String(n) })}: ${dict.surveyLabels[n - 1]}`}
                    onChange={() => setRating(n)}
                  />
                  <span aria-hidden="true">
                    ★<b>{n}</b>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <label class="fd">
            {dict.surveyComment}
            <textarea class="ta" rows={2} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          </label>
          {state.phase === 'failed' && (
            <p class="err" role="alert">
              {dict.surveyFailed}
            </p>
          )}
          <div class="row">
            <button type="submit" class="btn" disabled={!rating || state.phase === 'sending'}>
              {dict.surveySend}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
