// Indicators: `vigil indicators` over the filters — per period the events,
// killed, countries and admin-1 units struck (and which are new), the share
// outside the home units, drift and the spread of targets — with the
// trends and the warnings that qualify them. Every figure opens the events
// it counts (GET /api/v1/indicators/events), so each number can be traced.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';
import {
  html, useLoad, ErrorBox, Loading, FilterPanel, pickFilters, navigate, range, href, actorsText,
} from './ui.js';

const byOptions = ['year', 'quarter', 'month', 'week'];

function fixed(v, d = 0) {
  return v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(d);
}

function Drill({ query, pick, onClose }) {
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [pick.period, pick.figure]);
  const limit = 50;
  const { data, error, loading } = useLoad(
    () => get('/indicators/events', { ...query, period: pick.period, figure: pick.figure, limit, offset }),
    [JSON.stringify(query), pick.period, pick.figure, offset],
  );
  const items = (data && data.items) || [];
  const total = data ? data.total : 0;
  return html`<section class="drill" id="drill" aria-label="The events behind the figure">
    <div class="tablehead">
      <h2>${pick.label}, ${pick.period}: <span class="count" data-total=${total}>${loading ? '…' : total}</span> events</h2>
      <div class="pager">
        <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - limit))}>◀ Previous</button>
        <button type="button" disabled=${offset + limit >= total} onClick=${() => setOffset(offset + limit)}>Next ▶</button>
        <button type="button" class="secondary" onClick=${onClose}>Close</button>
      </div>
    </div>
    <${ErrorBox} error=${error} />
    <table class="table">
      <thead><tr><th>Date</th><th>Place</th><th>Actors</th><th>Killed</th></tr></thead>
      <tbody>${items.map((e) => html`<tr key=${e.id} data-event=${e.id}>
        <td class="nowrap"><a href=${href('/events/' + e.id)}>${e.date_start}</a></td>
        <td>${e.place || e.admin1_name || e.country}<span class="muted"> ${e.country}</span></td>
        <td>${actorsText(e.actors)}</td><td class="nowrap">${range(e.killed)}</td>
      </tr>`)}</tbody>
    </table>
  </section>`;
}

export function IndicatorsPage({ params }) {
  const filters = pickFilters(params);
  const by = byOptions.includes(params.by) ? params.by : 'year';
  const home = params.home || '';
  const query = { ...filters, by, ...(home ? { home } : {}) };
  const key = JSON.stringify(query);
  const { data, error, loading } = useLoad(() => get('/indicators', { ...query, ids: false }), [key]);
  const [pick, setPick] = useState(null);
  useEffect(() => setPick(null), [key]);
  const go = (f) => navigate('/indicators', { ...f, by, home });
  const [form, setForm] = useState({ by, home });
  useEffect(() => setForm({ by, home }), [by, home]);
  const periods = (data && data.periods) || [];
  const rows = data && data.total ? [...periods, data.total] : periods;
  const open = (period, figure, label) => () => setPick({ period, figure, label });
  const fig = (period, figure, label, n) => (n ? html`<button type="button" class="link" data-figure=${figure} data-period=${period}
    onClick=${open(period, figure, label)}>${n}</button>` : html`<span>${n ?? '–'}</span>`);
  return html`<main class="page">
    <h1>Indicators</h1>
    <${FilterPanel} filters=${filters} onApply=${go} />
    <form class="filters indopts" aria-label="Periods and home" onSubmit=${(e) => { e.preventDefault(); navigate('/indicators', { ...filters, by: form.by, home: form.home.trim() }); }}>
      <label>Periods <select id="ind-by" value=${form.by} onChange=${(e) => setForm({ ...form, by: e.currentTarget.value })}>
        ${byOptions.map((b) => html`<option value=${b}>${b}</option>`)}
      </select></label>
      <label>Home (admin-1 units) <input id="ind-home" value=${form.home} onInput=${(e) => setForm({ ...form, home: e.currentTarget.value })} placeholder="AF-NAN,AF-KNR" size="16" /></label>
      <div class="buttons"><button type="submit">Show</button></div>
    </form>
    <${ErrorBox} error=${error} />
    ${loading && !data ? html`<${Loading} what="the indicators" />` : data && html`
      <p class="muted">${data.selection}; ${data.from} to ${data.to}, by ${data.by}.</p>
      ${(data.warnings || []).length > 0 && html`<ul class="warnings">${data.warnings.map((w) => html`<li><strong>${w.kind}</strong>: ${w.message}</li>`)}</ul>`}
      <table class="table indicators">
        <thead><tr><th>Period</th><th>Events</th><th>Killed</th><th>Countries</th><th>New countries</th><th>Admin-1 units</th><th>New units</th>
          ${home && html`<th>Outside home</th><th>Farthest from home</th>`}<th title="how far the centroid moved from the period before">Drift (km)</th><th title="Shannon entropy of target types">Target spread</th></tr></thead>
        <tbody>${rows.map((p) => html`<tr key=${p.period} data-period=${p.period} class=${p.period === 'total' ? 'total' : ''}>
          <th scope="row">${p.period}</th>
          <td class="num">${fig(p.period, 'events', 'Events', p.events)}</td>
          <td class="nowrap">${range(p.killed)}</td>
          <td class="num">${p.countries}</td>
          <td>${(p.new_countries || []).length ? fig(p.period, 'new_countries', 'Events in new countries', p.new_countries.map((c) => c.key).join(', ')) : ''}</td>
          <td class="num">${p.admin1_units}</td>
          <td>${(p.new_admin1_units || []).length ? fig(p.period, 'new_admin1_units', 'Events in new admin-1 units', String(p.new_admin1_units.length)) : ''}</td>
          ${home && html`<td class="num">${p.outside_home && p.outside_home.of ? fig(p.period, 'outside_home', 'Events outside home', `${Math.round(p.outside_home.share * 100)}% of ${p.outside_home.of}`) : '–'}</td>
            <td>${p.farthest_from_home ? html`<a href=${href('/events/' + p.farthest_from_home.event_id)}>${fixed(p.farthest_from_home.km)} km</a>` : '–'}</td>`}
          <td class="num">${p.drift_km ? fixed(p.drift_km.value) : '–'}</td>
          <td class="num">${p.target_entropy != null && p.targets_known ? fixed(p.target_entropy, 2) : '–'}</td>
        </tr>`)}</tbody>
      </table>
      ${(data.trends || []).length > 0 && html`<h2>Trends</h2><ul class="trends">${data.trends.map((t) => html`<li><strong>${t.series}</strong>: ${t.reading}</li>`)}</ul>`}
      ${pick && html`<${Drill} query=${query} pick=${pick} onClose=${() => setPick(null)} />`}`}
  </main>`;
}
