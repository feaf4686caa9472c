// Event pages: the fused values, the contradictions, and every report side
// by side with its source's reliability and the information's
// credibility; the reports on either side of a contradiction are marked.
import { get, query } from './api.js';
import {
  html, useLoad, ErrorBox, Loading, Reliability, CredibilityBadge, range, KilledBar, contradictionText,
  reliabilityText, credibilityText, FilterPanel, EventTable, pickFilters, navigate, useServed, href,
} from './ui.js';
import { EventReview } from './review.js';

const sideNames = 'ABCDEFGH';

// The report fields each kind of contradiction is about.
const contradictionFields = {
  casualties: ['killed'], 'rival-claims': ['actors'], denied: ['actors', 'summary'], 'unconfirmed-self-claim': ['actors'],
  place: ['place'], date: ['date'],
};

/** marks maps report ids to the contradictions and sides they stand on. */
export function marks(contradictions) {
  const m = {};
  (contradictions || []).forEach((c, ci) => {
    (c.sides || []).forEach((ids, si) => {
      for (const id of ids || []) (m[id] ||= []).push({ ci, kind: c.kind, side: sideNames[si] || String(si + 1) });
    });
  });
  return m;
}

function Field({ label, children, hot }) {
  return html`<div class=${'field' + (hot ? ' hot' : '')}><dt>${label}</dt><dd>${children}</dd></div>`;
}

function ReportCard({ sr, on, basis }) {
  const { report: r, document: d, source: s } = sr;
  const hot = new Set(on.flatMap((m) => contradictionFields[m.kind] || []));
  const used = Object.entries(basis || {}).filter(([, ids]) => ids.includes(r.id)).map(([k]) => k.split('.')[0]);
  return html`<article class=${'report' + (on.length ? ' contra' : '')} data-report=${r.id} aria-label=${'Report ' + r.id + ' from ' + (s ? s.name : 'unknown source')}>
    <header>
      <div class="srcline"><strong>${s && s.id ? html`<a href=${href('/sources/' + s.id)}>${s.name}</a>` : s ? s.name : d && d.source}</strong> <span class="muted">${s && s.kind}</span></div>
      <div class="grades">
        <span>source <${Reliability} grade=${s && s.reliability} /> <span class="muted small">${s && reliabilityText[s.reliability]}</span></span>
        <span>information <${CredibilityBadge} value=${r.credibility} /> <span class="muted small">${credibilityText[r.credibility] || ''}</span></span>
      </div>
      ${on.map((m) => html`<span class=${'sidebadge side-' + m.ci % 4}>${contradictionText[m.kind] || m.kind}: side ${m.side}</span>`)}
    </header>
    <dl>
      <${Field} label="Date" hot=${hot.has('date')}>${r.date_start}${r.date_end && r.date_end !== r.date_start ? ' – ' + r.date_end : ''}<//>
      <${Field} label="Place" hot=${hot.has('place')}>${r.place || r.admin1_name || r.country} <span class="muted">${r.country}${r.admin1 ? ' · ' + r.admin1 : ''}</span><//>
      <${Field} label="Type">${r.sub_event_type || r.event_type}<//>
      <${Field} label="Actors" hot=${hot.has('actors')}>
        <ul class="plain">${(r.actors || []).map((a) => html`<li>${a.name}${a.as_written && a.as_written !== a.name ? html` <span class="muted">“${a.as_written}”</span>` : ''} <span class="muted">${a.role}, ${a.attribution}${a.attributed_by ? ' by ' + a.attributed_by : ''}</span></li>`)}</ul>
      <//>
      <${Field} label="Killed" hot=${hot.has('killed')}>${range(r.killed)}<//>
      <${Field} label="Wounded">${range(r.wounded)}<//>
      ${r.summary && html`<${Field} label="Summary" hot=${hot.has('summary')}>${r.summary}<//>`}
    </dl>
    ${d && html`<details class="doc">
      <summary>${d.title || d.key} <span class="muted">${(d.published || '').slice(0, 10)} · TLP:${d.tlp || 'CLEAR'}</span></summary>
      <p class="doctext">${d.text}</p>
      ${d.url && html`<p class="small muted">${d.url}</p>`}
    </details>`}
    ${used.length > 0 && html`<p class="small muted">The event takes its ${[...new Set(used)].join(', ')} from this report.</p>`}
  </article>`;
}

export function EventPage({ id, user }) {
  const review = useServed('/review');
  const { data, error, loading, reload } = useLoad(() => get('/events/' + encodeURIComponent(id), null, { full: true }), [id]);
  const e = data && data.data;
  if (loading && !e) return html`<main class="page"><${Loading} what="the event" /></main>`;
  if (error) return html`<main class="page"><h1>Event ${id}</h1><${ErrorBox} error=${error} /><p><a href="#/events">All events</a></p></main>`;
  const m = marks(e.contradictions);
  const reports = e.reports || [];
  return html`<main class="page eventpage">
    <p class="crumbs"><a href="#/events">Events</a> › ${e.id}</p>
    <h1>${e.place || e.country}, ${e.date_start}${e.date_end && e.date_end !== e.date_start ? ' – ' + e.date_end : ''}</h1>
    <div class="facts">
      <div><span class="muted">Type</span> ${e.sub_event_type || e.event_type}</div>
      <div><span class="muted">Killed</span> ${range(e.killed)} <${KilledBar} killed=${e.killed} /></div>
      <div><span class="muted">Wounded</span> ${range(e.wounded)}</div>
      <div><span class="muted">Where</span> ${[e.admin2, e.admin1_name, e.country].filter(Boolean).join(', ')}
        ${e.country && html` <a class="small" href=${href('/map', e.admin1 ? { admin1: e.admin1 } : { country: e.country })}>on the map</a>`}</div>
      <div><span class="muted">Actors</span> ${(e.actors || []).map((a) => a.name + ' (' + a.attribution + ')').join('; ')}</div>
      <div><span class="muted">Corroboration</span> ${e.corroboration} independent origin${e.corroboration === 1 ? '' : 's'}</div>
      <div><span class="muted">Credibility</span> <${CredibilityBadge} value=${e.credibility} /></div>
      <div><span class="muted">Marking</span> TLP:${e.tlp || 'CLEAR'}</div>
    </div>
    ${(e.contradictions || []).length > 0 && html`<section class="contradictions" aria-label="Contradictions">
      <h2>Contradictions</h2>
      <ul>
        ${e.contradictions.map((c, ci) => html`<li class=${'contradiction side-' + ci % 4} data-kind=${c.kind}>
          <strong>${contradictionText[c.kind] || c.kind}</strong>: ${c.description}
          <span class="muted"> — ${(c.sides || []).map((ids, si) => `side ${sideNames[si]}: report${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`).join('; ')}</span>
        </li>`)}
      </ul>
    </section>`}
    <h2>${reports.length} report${reports.length === 1 ? '' : 's'}, side by side</h2>
    <div class="reports">
      ${reports.map((sr) => html`<${ReportCard} key=${sr.report.id} sr=${sr} on=${m[sr.report.id] || []} basis=${e.basis} />`)}
    </div>
    ${review && html`<${EventReview} event=${e} etag=${data.etag} user=${user} onChange=${reload} />`}
  </main>`;
}

// exports are the formats of GET /api/v1/export/{format}.
const exports = [['csv', 'CSV'], ['geojson', 'GeoJSON'], ['acled-csv', 'ACLED CSV'], ['ucdp-csv', 'UCDP CSV']];

/**
 * exportHref is the download link of a format. A browser user opens a CSV
 * in a spreadsheet, so its link asks for spreadsheet_safe: text that would
 * run as a formula (=HYPERLINK(…) in a note) comes with a leading quote.
 */
export function exportHref(format, filters) {
  const safe = format === 'csv' || format.endsWith('-csv') ? { spreadsheet_safe: 1 } : {};
  return '/api/v1/export/' + format + query({ ...filters, ...safe });
}

export function EventsPage({ params }) {
  const filters = pickFilters(params);
  return html`<main class="page">
    <h1>Events</h1>
    <${FilterPanel} filters=${filters} onApply=${(f) => navigate('/events', f)} />
    <p class="exports small">Download the events that match, as you may see them:
      ${exports.map(([f, label], i) => html`${i ? ' · ' : ' '}<a href=${exportHref(f, filters)} download data-format=${f}>${label}</a>`)}</p>
    <${EventTable} filters=${filters} />
  </main>`;
}
