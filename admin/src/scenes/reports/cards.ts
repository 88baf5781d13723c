/**
 * The Reports page's cards, built from the reports' JSON: for each, the headline figures, the
 * chart and the table (which is also the CSV). Pure functions, so what the page shows is tested
 * without a browser.
 */
import type {
  AgentsReportJson,
  DurationStatsJson,
  OwnerPhoneReportJson,
  ResponseTimesReportJson,
  SatisfactionReportJson,
  VolumeReportJson,
  WhatsAppReportJson,
} from '@connectdesk/shared';
import type { DataCardProps } from './data-card.tsx';
import { formatAverage, formatCount, formatDuration, formatMoney, formatShare, shortDate } from './format.ts';

type Card = Omit<DataCardProps, 'children'>;
const count = (n: number) => formatCount(n);
const minutes = (ms: number) => (ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round((ms / 3_600_000) * 10) / 10} h`);

export function volumeCards(v: VolumeReportJson, slug: string): Card[] {
  const labels = v.daily.map((d) => shortDate(d.date));
  const t = v.totals;
  return [
    {
      id: 'conversations',
      title: 'Conversations',
      file: `conversations-${slug}`,
      summary: [
        {
          label: 'Opened',
          value: count(t.conversations_opened),
          hint: t.conversations_reopened ? `${count(t.conversations_reopened)} of them came back` : undefined,
        },
        { label: 'Resolved', value: count(t.conversations_resolved) },
        { label: 'Web', value: count(v.by_channel.web.conversations_opened) },
        { label: 'WhatsApp', value: count(v.by_channel.whatsapp.conversations_opened) },
      ],
      chart: {
        kind: 'lines',
        labels,
        summary: 'Conversations opened and resolved per day',
        series: [
          { label: 'Opened', color: 1, values: v.daily.map((d) => d.web.conversations_opened + d.whatsapp.conversations_opened) },
          { label: 'Resolved', color: 2, values: v.daily.map((d) => d.web.conversations_resolved + d.whatsapp.conversations_resolved) },
        ],
      },
      table: {
        columns: ['Date', 'Opened', 'Of them reopened', 'Resolved', 'Opened on the web', 'Opened on WhatsApp'],
        rows: v.daily.map((d) => [
          d.date,
          d.web.conversations_opened + d.whatsapp.conversations_opened,
          d.web.conversations_reopened + d.whatsapp.conversations_reopened,
          d.web.conversations_resolved + d.whatsapp.conversations_resolved,
          d.web.conversations_opened,
          d.whatsapp.conversations_opened,
        ]),
      },
    },
    {
      id: 'messages',
      title: 'Messages',
      file: `messages-${slug}`,
      summary: [
        { label: 'In', value: count(t.messages_in) },
        { label: 'Out (agents)', value: count(t.messages_out) },
        { label: 'From the owner’s phone', value: count(t.messages_from_owner_phone) },
      ],
      chart: {
        kind: 'lines',
        labels,
        summary: 'Messages in and out per day',
        series: [
          { label: 'In', color: 1, values: v.daily.map((d) => d.web.messages_in + d.whatsapp.messages_in) },
          { label: 'Out', color: 2, values: v.daily.map((d) => d.web.messages_out + d.whatsapp.messages_out) },
          { label: 'Owner’s phone', color: 3, values: v.daily.map((d) => d.web.messages_from_owner_phone + d.whatsapp.messages_from_owner_phone) },
        ],
      },
      table: {
        columns: ['Date', 'In', 'Out', 'From the owner’s phone', 'In on the web', 'In on WhatsApp'],
        rows: v.daily.map((d) => [
          d.date,
          d.web.messages_in + d.whatsapp.messages_in,
          d.web.messages_out + d.whatsapp.messages_out,
          d.web.messages_from_owner_phone + d.whatsapp.messages_from_owner_phone,
          d.web.messages_in,
          d.whatsapp.messages_in,
        ]),
      },
    },
  ];
}

function durationCard(
  id: string,
  title: string,
  stats: DurationStatsJson & { by_channel: Record<'web' | 'whatsapp', DurationStatsJson> },
  slug: string,
  note: string,
): Card {
  const groups: [string, DurationStatsJson][] = [
    ['All', stats],
    ['Web', stats.by_channel.web],
    ['WhatsApp', stats.by_channel.whatsapp],
  ];
  return {
    id,
    title,
    file: `${id}-${slug}`,
    summary: [
      { label: 'Median', value: formatDuration(stats.median_ms), hint: note },
      { label: '90th percentile', value: formatDuration(stats.p90_ms) },
      { label: 'Conversations', value: count(stats.count) },
    ],
    chart: {
      kind: 'bars',
      labels: groups.map(([g]) => g),
      summary: `${title}: median and 90th percentile by channel`,
      format: minutes,
      series: [
        { label: 'Median', color: 1, values: groups.map(([, s]) => s.median_ms) },
        { label: '90th percentile', color: 2, values: groups.map(([, s]) => s.p90_ms) },
      ],
    },
    table: {
      columns: ['Channel', 'Conversations', 'Median', '90th percentile', 'Median (ms)', '90th percentile (ms)'],
      rows: groups.map(([g, s]) => [g, s.count, formatDuration(s.median_ms), formatDuration(s.p90_ms), s.median_ms, s.p90_ms]),
    },
  };
}

export function responseCards(r: ResponseTimesReportJson, slug: string): Card[] {
  const note = r.business_hours.enabled ? `business hours (${r.business_hours.timezone})` : 'around the clock';
  return [
    durationCard('first-response', 'First response time', r.first_response, slug, note),
    durationCard('resolution', 'Resolution time', r.resolution, slug, note),
  ];
}

export function agentsCard(a: AgentsReportJson, slug: string): Card {
  return {
    id: 'agents',
    title: 'By agent',
    file: `agents-${slug}`,
    chart: a.data.length
      ? {
          kind: 'bars',
          labels: a.data.map((x) => x.name ?? x.agent_id),
          summary: 'Conversations resolved and opened per agent',
          series: [{ label: 'Resolved', color: 2, values: a.data.map((x) => x.conversations_resolved) }],
        }
      : null,
    table: {
      columns: ['Agent', 'Conversations', 'Resolved', 'Messages sent', 'First response (median)', 'Resolution (median)', 'Satisfaction', 'Survey answers'],
      rows: a.data.map((x) => [
        x.name ?? x.agent_id,
        x.conversations_opened,
        x.conversations_resolved,
        x.messages_out,
        formatDuration(x.first_response.median_ms),
        formatDuration(x.resolution.median_ms),
        formatAverage(x.satisfaction.average),
        x.satisfaction.responses,
      ]),
    },
  };
}

export function whatsappCards(w: WhatsAppReportJson, slug: string): Card[] {
  const m = w.messages;
  const share = (n: number) => (m.sent ? formatShare(n / m.sent) : '—');
  return [
    {
      id: 'whatsapp-delivery',
      title: 'WhatsApp delivery',
      file: `whatsapp-delivery-${slug}`,
      summary: [
        { label: 'Sent', value: count(m.sent), hint: m.queued ? `${count(m.queued)} waiting` : undefined },
        { label: 'Delivered', value: count(m.delivered), hint: share(m.delivered) },
        { label: 'Read', value: count(m.read), hint: share(m.read) },
        { label: 'Failed', value: count(m.failed) },
      ],
      chart: {
        kind: 'lines',
        labels: w.daily.map((d) => shortDate(d.date)),
        summary: 'WhatsApp messages sent, delivered, read and failed per day',
        series: [
          { label: 'Sent', color: 1, values: w.daily.map((d) => d.sent) },
          { label: 'Delivered', color: 2, values: w.daily.map((d) => d.delivered) },
          { label: 'Read', color: 3, values: w.daily.map((d) => d.read) },
          { label: 'Failed', color: 4, values: w.daily.map((d) => d.failed) },
        ],
      },
      table: {
        columns: ['Date', 'Sent', 'Delivered', 'Read', 'Failed', 'Waiting'],
        rows: w.daily.map((d) => [d.date, d.sent, d.delivered, d.read, d.failed, d.queued]),
      },
    },
    {
      id: 'whatsapp-failures',
      title: 'Why messages failed',
      file: `whatsapp-failures-${slug}`,
      table: { columns: ['Meta error', 'What it means', 'Messages'], rows: w.failures.map((f) => [`${f.code} ${f.title}`, f.explanation, f.count]) },
    },
    {
      id: 'templates',
      title: 'Templates sent, by category',
      file: `templates-${slug}`,
      chart: {
        kind: 'bars',
        labels: w.templates.map((t) => t.category),
        summary: 'Templates sent by category',
        series: [{ label: 'Templates', color: 5, values: w.templates.map((t) => t.count) }],
      },
      table: { columns: ['Category', 'Templates sent'], rows: w.templates.map((t) => [t.category, t.count]) },
    },
    {
      id: 'cost',
      title: 'Estimated WhatsApp cost',
      file: `whatsapp-cost-${slug}`,
      summary: [
        { label: 'Estimated cost', value: formatMoney(w.cost.total, w.cost.currency), hint: 'from Meta’s pricing of each message and your rates' },
        { label: 'Billable messages', value: count(w.cost.lines.reduce((n, l) => n + l.messages, 0)) },
        ...(w.cost.unpriced_messages ? [{ label: 'Without a rate', value: count(w.cost.unpriced_messages), hint: 'set rates in Settings → Reports' }] : []),
      ],
      table: {
        columns: ['Country', 'Category', 'Billable messages', 'Rate', 'Cost'],
        rows: w.cost.lines.map((l) => [
          l.country ? `+${l.country}` : 'unknown',
          l.category,
          l.messages,
          l.rate === null ? null : formatMoney(l.rate, w.cost.currency),
          formatMoney(l.cost, w.cost.currency),
        ]),
      },
    },
  ];
}

export function ownerCards(o: OwnerPhoneReportJson, slug: string): Card[] {
  return [
    {
      id: 'owner-phone',
      title: 'The owner’s phone',
      file: `owner-phone-${slug}`,
      summary: [
        { label: 'Forwarded', value: count(o.forwards.total), hint: o.forwards.failed ? `${count(o.forwards.failed)} failed` : undefined },
        { label: 'Replies from the phone', value: count(o.replies) },
        {
          label: 'Time to answer (median)',
          value: formatDuration(o.time_to_answer.median_ms),
          hint: `90th percentile ${formatDuration(o.time_to_answer.p90_ms)}`,
        },
      ],
      chart: {
        kind: 'lines',
        labels: o.daily.map((d) => shortDate(d.date)),
        summary: 'Visitor messages forwarded to the owner’s phone and replies from it per day',
        series: [
          { label: 'Forwarded', color: 1, values: o.daily.map((d) => d.forwards) },
          { label: 'Replies', color: 2, values: o.daily.map((d) => d.replies) },
        ],
      },
      table: { columns: ['Date', 'Forwarded', 'Replies from the phone'], rows: o.daily.map((d) => [d.date, d.forwards, d.replies]) },
    },
  ];
}

export function satisfactionCards(s: SatisfactionReportJson, slug: string): Card[] {
  const ratings = ['1', '2', '3', '4', '5'] as const;
  return [
    {
      id: 'satisfaction',
      title: 'Satisfaction',
      file: `satisfaction-${slug}`,
      summary: [
        { label: 'Average', value: s.average === null ? '—' : `${formatAverage(s.average)} / 5` },
        { label: 'Answers', value: count(s.responses), hint: `of ${count(s.asked)} asked` },
        { label: 'Answer rate', value: formatShare(s.response_rate) },
      ],
      chart: {
        kind: 'bars',
        labels: ratings.map((r) => `${r} ★`),
        summary: 'How many answered each rating from 1 to 5',
        series: [{ label: 'Answers', color: 6, values: ratings.map((r) => s.distribution[r]) }],
      },
      table: { columns: ['Rating', 'Answers'], rows: ratings.map((r) => [r, s.distribution[r]]) },
    },
    {
      id: 'satisfaction-daily',
      title: 'Satisfaction per day',
      file: `satisfaction-daily-${slug}`,
      chart: {
        kind: 'lines',
        labels: s.daily.map((d) => shortDate(d.date)),
        summary: 'Survey answers and their average per day',
        series: [
          { label: 'Answers', color: 1, values: s.daily.map((d) => d.responses) },
          { label: 'Average', color: 6, values: s.daily.map((d) => d.average) },
        ],
      },
      table: {
        columns: ['Date', 'Asked', 'Answers', 'Average'],
        rows: s.daily.map((d) => [d.date, d.asked, d.responses, d.average === null ? null : Number(d.average.toFixed(2))]),
      },
    },
  ];
}
