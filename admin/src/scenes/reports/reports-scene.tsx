/**
 * Reports: how busy we were, how fast we answered, what WhatsApp delivered and cost, and whether
 * people were happy — for a period in a time zone, one channel or both, everyone or one agent
 * (an agent sees their own figures). Loaded on first visit, with the charting library.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type {
  AgentsReportJson,
  OwnerPhoneReportJson,
  ResponseTimesReportJson,
  SatisfactionReportJson,
  SurveyCommentJson,
  VolumeReportJson,
  WhatsAppReportJson,
} from '@connectdesk/shared';
import type { Agent } from '../../api/types.ts';
import type { ReportParams } from '../../api/client.ts';
import { useApp } from '../../context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { agentsCard, ownerCards, responseCards, satisfactionCards, volumeCards, whatsappCards } from './cards.ts';
import { DataCard } from './data-card.tsx';
import { browserTimeZone, isTimeZone, presetRange, PRESETS, timeZones, type Preset } from './report-params.ts';
import './reports.css';

interface Reports {
  volume: VolumeReportJson;
  times: ResponseTimesReportJson;
  agents: AgentsReportJson;
  whatsapp: WhatsAppReportJson;
  satisfaction: SatisfactionReportJson;
  owner: OwnerPhoneReportJson | null;
}

export function ReportsScene() {
  const { api, me } = useApp();
  const admin = me.role === 'admin';
  const [tz, setTz] = useState(browserTimeZone);
  const [tzText, setTzText] = useState(tz);
  const [preset, setPreset] = useState<Preset>('30d');
  const [range, setRange] = useState(() => presetRange('30d', browserTimeZone()));
  const [channel, setChannel] = useState<'' | 'web' | 'whatsapp'>('');
  const [agentId, setAgentId] = useState('');
  const [agents, setAgents] = useState<Agent[]>([]);
  const [data, setData] = useState<Reports | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const zones = useMemo(timeZones, []);

  const params: ReportParams = { from: range.from, to: range.to, tz, channel: channel || null, agent_id: admin ? agentId || null : null };
  const slug = `${params.from}_${params.to}`;

  useEffect(() => {
    if (admin)
      api.agents().then(
        (r) => setAgents(r.data),
        () => setAgents([]),
      );
  }, []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    Promise.all([
      api.report('volume', params),
      api.report('response-times', params),
      api.report('agents', params),
      api.report('whatsapp', params),
      api.report('satisfaction', params),
      admin ? api.report('owner-phone', params) : Promise.resolve(null),
    ]).then(
      ([volume, times, agentsReport, whatsapp, satisfaction, owner]) => {
        if (!live) return;
        setData({ volume, times, agents: agentsReport, whatsapp, satisfaction, owner });
        setLoading(false);
      },
      (err: Error) => {
        if (!live) return;
        setError(err.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [range.from, range.to, tz, channel, agentId]);

  function choosePreset(p: Preset) {
    setPreset(p);
    if (p !== 'custom') setRange(presetRange(p, tz));
  }

  function pick(end: 'from' | 'to', date: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    setPreset('custom');
    setRange((r) => ({ ...r, [end]: date }));
  }

  /** Applied as soon as the text names a zone (typed, pasted or picked from the list). */
  function chooseZone(next: string) {
    setTzText(next);
    if (!isTimeZone(next)) return;
    setTz(next);
    if (preset !== 'custom') setRange(presetRange(preset, next));
  }

  return (
    <section class="page reports" aria-busy={loading}>
      <div class="page-head">
        <h1>Reports</h1>
        {!admin && <p class="muted">Your own figures.</p>}
      </div>
      <form class="card report-controls" aria-label="Period and filters" onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span>Period</span>
          <select value={preset} onChange={(e) => choosePreset(e.currentTarget.value as Preset)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>From</span>
          <input type="date" value={range.from} max={range.to} required onChange={(e) => pick('from', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>To</span>
          <input type="date" value={range.to} min={range.from} required onChange={(e) => pick('to', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Time zone</span>
          <input
            list="report-time-zones"
            value={tzText}
            aria-invalid={!isTimeZone(tzText)}
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => chooseZone(e.currentTarget.value)}
            onBlur={() => setTzText(tz)}
          />
          <datalist id="report-time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <label class="field">
          <span>Channel</span>
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as typeof channel)}>
            <option value="">Web and WhatsApp</option>
            <option value="web">Web</option>
            <option value="whatsapp">WhatsApp</option>
          </select>
        </label>
        {admin && (
          <label class="field">
            <span>Agent</span>
            <select value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
              <option value="">Everyone</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {loading ? 'Loading the reports…' : data ? `Reports for ${params.from} to ${params.to}, ${tz}.` : ''}
      </p>
      {data && (
        <div class="report-grid">
          <h2 class="report-group">How busy we were</h2>
          {volumeCards(data.volume, slug).map((c) => (
            <DataCard key={c.id} {...c} />
          ))}
          <h2 class="report-group">How fast we answered</h2>
          {responseCards(data.times, slug).map((c) => (
            <DataCard key={c.id} {...c} />
          ))}
          <DataCard {...agentsCard(data.agents, slug)} />
          <h2 class="report-group">WhatsApp</h2>
          {whatsappCards(data.whatsapp, slug).map((c) => (
            <DataCard key={c.id} {...c} />
          ))}
          {data.owner && ownerCards(data.owner, slug).map((c) => <DataCard key={c.id} {...c} />)}
          <h2 class="report-group">Were people happy?</h2>
          {satisfactionCards(data.satisfaction, slug).map((c) => (
            <DataCard key={c.id} {...c} />
          ))}
          <Comments params={params} key={`${slug}-${tz}-${channel}-${agentId}`} />
        </div>
      )}
    </section>
  );
}

function Comments({ params }: { params: ReportParams }) {
  const { api } = useApp();
  const [items, setItems] = useState<SurveyCommentJson[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const more = async (from: string | null) => {
    const page = await api.reportComments(params, from);
    setItems((prev) => [...prev, ...page.data]);
    setCursor(page.next_cursor);
    setDone(page.next_cursor === null);
  };
  useEffect(() => {
    void more(null).catch(() => setDone(true));
  }, []);
  return (
    <section class="card report-card" aria-labelledby="comments-title">
      <div class="report-card-head">
        <h2 id="comments-title">Comments</h2>
      </div>
      {items.length === 0 ? (
        <p class="muted">{done ? 'No comments in this period.' : 'Loading…'}</p>
      ) : (
        <ul class="comments">
          {items.map((c) => (
            <li key={c.survey_id}>
              <span class="comment-rating" aria-label={`${c.rating} out of 5`}>
                {'★'.repeat(c.rating)}
                <span aria-hidden="true" class="muted">
                  {'★'.repeat(5 - c.rating)}
                </span>
              </span>
              <q dir="auto">{c.comment}</q>
              <span class="muted">
                {c.channel === 'whatsapp' ? 'WhatsApp' : 'Web'} · {formatDateTime(c.answered_at)} ·{' '}
                <a href={`/admin/conversations/${encodeURIComponent(c.conversation_id)}`}>conversation</a>
              </span>
            </li>
          ))}
        </ul>
      )}
      {!done && items.length > 0 && (
        <button type="button" class="btn btn-small" onClick={() => void more(cursor)}>
          More comments
        </button>
      )}
    </section>
  );
}
