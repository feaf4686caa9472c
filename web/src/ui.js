// Shared pieces of the UI: the html template tag, routing by the URL's
// hash, the filter panel, the event table and the grading labels. Every
// string from the server is rendered as a text node (htm/preact never sets
// innerHTML), so stored text can never become markup.
import { h } from 'preact';
import { useEffect, useState, useRef } from 'preact/hooks';
import htm from 'htm';
import { get } from './api.js';

export const html = htm.bind(h);

// ---- routing: #/path?query ----

/** parseHash splits location.hash into a path and its parameters. */
export function parseHash(hash = location.hash) {
  const s = hash.replace(/^#/, '') || '/map';
  const [path, q = ''] = s.split('?');
  return { path, params: Object.fromEntries(new URLSearchParams(q)) };
}

/** href makes a hash link from a path and parameters (empty ones left out). */
export function href(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return '#' + path + (s ? '?' + s : '');
}

/** navigate goes to a hash route; replace keeps it out of the history. */
export function navigate(path, params, replace = false) {
  const url = href(path, params);
  if (replace) {
    history.replaceState(null, '', url);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = url;
  }
}

// ---- data loading ----

/** useLoad runs fn when deps change and returns {data, error, loading, reload}. */
export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(fn)
      .then(
        (data) => n === seq.current && setState({ data, error: null, loading: false }),
        (error) => n === seq.current && setState({ data: null, error, loading: false }),
      );
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** useDebounced returns value once it has stayed unchanged for ms. */
export function useDebounced(value, ms) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  const notFound = error.status === 404;
  return html`<div class="error" role="alert">${notFound ? 'Not found, or not within your clearance. ' : ''}${error.message}</div>`;
}

export function Loading({ what }) {
  return html`<p class="muted" aria-live="polite">Loading ${what || ''}…</p>`;
}

// ---- labels ----

export const reliabilityText = {
  A: 'completely reliable', B: 'usually reliable', C: 'fairly reliable', D: 'not usually reliable',
  E: 'unreliable', F: 'reliability cannot be judged', G: 'deliberately deceptive',
};

export const credibilityText = {
  1: 'confirmed by other sources', 2: 'probably true', 3: 'possibly true', 4: 'doubtful',
  5: 'improbable', 6: 'truth cannot be judged',
};

export const eventTypes = [
  'Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Protests', 'Riots', 'Strategic developments',
];

export const contradictionText = {
  casualties: 'tolls far apart',
  'rival-claims': 'rival claims of responsibility',
  place: 'places incompatible',
  date: 'dates incompatible',
  'unconfirmed-self-claim': "only the group's own media says so",
  denied: 'a source denies it happened',
};

export function Reliability({ grade }) {
  if (!grade) return html`<span class="grade muted">–</span>`;
  return html`<span class=${'grade rel-' + grade} title=${reliabilityText[grade] || ''}>${grade}<span class="sr"> (${reliabilityText[grade] || 'unknown'})</span></span>`;
}

export function CredibilityBadge({ value }) {
  if (!value) return html`<span class="grade muted">–</span>`;
  return html`<span class=${'grade cred-' + value} title=${credibilityText[value] || ''}>${value}<span class="sr"> (${credibilityText[value] || ''})</span></span>`;
}

/** range formats a low/best/high figure; null parts are unknown, never zero. */
export function range(r) {
  if (!r || (r.low == null && r.best == null && r.high == null)) return 'unknown';
  const { low, best, high } = r;
  if (low != null && high != null && low !== high) return best != null ? `${low}–${high} (best ${best})` : `${low}–${high}`;
  return String(best ?? low ?? high);
}

/** KilledBar draws a low–high range with its best estimate on a log scale. */
export function KilledBar({ killed, max = 500 }) {
  if (!killed || (killed.low == null && killed.high == null && killed.best == null)) return html`<span class="muted">?</span>`;
  const scale = (v) => (Math.log10(1 + Math.max(0, v)) / Math.log10(1 + max)) * 100;
  const lo = scale(killed.low ?? killed.best ?? 0);
  const hi = Math.min(100, scale(killed.high ?? killed.best ?? 0));
  const best = killed.best != null ? Math.min(100, scale(killed.best)) : null;
  return html`<svg class="killbar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=${'killed ' + range(killed)}>
    <rect x="0" y="4" width="100" height="2" class="track" />
    <rect x=${lo} y="2" width=${Math.max(1, hi - lo)} height="6" class="span" />
    ${best != null && html`<rect x=${Math.max(0, best - 0.75)} y="0" width="1.5" height="10" class="best" />`}
  </svg>`;
}

export function actorsText(actors) {
  return (actors || [])
    .filter((a) => a.role !== 'target')
    .map((a) => a.name + (a.attribution && a.attribution !== 'claimed' ? ` (${a.attribution})` : ''))
    .join('; ');
}

// ---- filters ----

/** filterKeys are the event filters the API takes, shared by every page. */
export const filterKeys = ['actor', 'from', 'to', 'type', 'country', 'admin1', 'min_credibility'];

export function pickFilters(params) {
  const f = {};
  for (const k of filterKeys) if (params[k]) f[k] = params[k];
  return f;
}

/** FilterPanel edits the filters; onApply gets the new ones. */
export function FilterPanel({ filters, onApply }) {
  const [f, setF] = useState(filters);
  useEffect(() => setF(filters), [JSON.stringify(filters)]);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    const out = {};
    for (const [k, v] of Object.entries(f)) if (v && String(v).trim()) out[k] = String(v).trim();
    onApply(out);
  };
  const clear = () => {
    setF({});
    onApply({});
  };
  return html`<form class="filters" onSubmit=${submit} aria-label="Filters">
    <label>Actor <input name="actor" value=${f.actor || ''} onInput=${set('actor')} placeholder="ISKP, IS-K, Daesh…" /></label>
    <label>From <input name="from" value=${f.from || ''} onInput=${set('from')} placeholder="2021-01-01" size="10" /></label>
    <label>To <input name="to" value=${f.to || ''} onInput=${set('to')} placeholder="2024-12-31" size="10" /></label>
    <label>Type <select name="type" value=${f.type || ''} onChange=${set('type')}>
      <option value="">any</option>
      ${eventTypes.map((t) => html`<option value=${t}>${t}</option>`)}
    </select></label>
    <label>Country <input name="country" value=${f.country || ''} onInput=${set('country')} placeholder="AF,PK" size="8" /></label>
    <label>Admin-1 <input name="admin1" value=${f.admin1 || ''} onInput=${set('admin1')} placeholder="AF-NAN" size="8" /></label>
    ${html`<label>Min. credibility <select name="min_credibility" value=${f.min_credibility || ''} onChange=${set('min_credibility')}>
      <option value="">any</option>
      ${[1, 2, 3, 4, 5].map((c) => html`<option value=${c}>${c}: ${credibilityText[c]} or better</option>`)}
    </select></label>`}
    <div class="buttons"><button type="submit">Apply</button> <button type="button" class="secondary" onClick=${clear}>Clear</button></div>
  </form>`;
}

const probes = new Map();

/** served reports whether the server answers a GET of an API path (it may be older, or its store may lack the service). */
export function served(path) {
  if (!probes.has(path)) {
    probes.set(path, get(path).then(() => true, (err) => !(err.status === 404 || err.status === 501)));
  }
  return probes.get(path);
}

/** useServed is served as a hook: undefined while asking. */
export function useServed(path) {
  const { data, loading } = useLoad(() => served(path), [path]);
  return loading ? undefined : data;
}

// ---- the event table ----

// MAX_OFFSET is the deepest offset the API serves (http.MaxOffset).
const MAX_OFFSET = 10000;

export function EventTable({ filters, sort = '-date', limit = 50, compact, title }) {
  const [offset, setOffset] = useState(0);
  const [order, setOrder] = useState(sort);
  const key = JSON.stringify(filters);
  useEffect(() => setOffset(0), [key, order]);
  const { data, error, loading } = useLoad(() => get('/events', { ...filters, sort: order, limit, offset }), [key, order, offset, limit]);
  const items = (data && data.items) || [];
  const total = data ? data.total : 0;
  const max = Math.max(10, ...items.map((e) => (e.killed && (e.killed.high ?? e.killed.best)) || 0));
  const sortButton = (field, label) => {
    const active = order === field || order === '-' + field;
    const next = order === '-' + field ? field : '-' + field;
    return html`<button type="button" class="link" onClick=${() => setOrder(next)} aria-pressed=${active}>${label}${active ? (order.startsWith('-') ? ' ↓' : ' ↑') : ''}</button>`;
  };
  return html`<section class="events" aria-label=${title || 'Events'}>
    <div class="tablehead">
      <h2>${title || 'Events'} <span class="count" data-total=${total}>${loading ? '…' : total}</span></h2>
      <div class="pager">
        <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - limit))}>◀ Previous</button>
        <span>${total ? `${offset + 1}–${Math.min(total, offset + limit)} of ${total}` : ''}</span>
        <button type="button" disabled=${offset + limit >= total || offset + limit > MAX_OFFSET}
          title=${offset + limit > MAX_OFFSET ? 'The list goes this deep; narrow the filters to see further' : undefined}
          onClick=${() => setOffset(offset + limit)}>Next ▶</button>
      </div>
    </div>
    <${ErrorBox} error=${error} />
    <table class="table">
      <thead><tr>
        <th>${sortButton('date', 'Date')}</th><th>Place</th>${!compact && html`<th>Type</th>`}<th>Actors</th>
        <th>${sortButton('killed', 'Killed')}</th><th>Sources</th><th title="credibility of the fused event">Cred.</th><th>Flags</th>
      </tr></thead>
      <tbody>
        ${items.map((e) => html`<tr key=${e.id} data-event=${e.id}>
          <td class="nowrap"><a href=${href('/events/' + e.id)}>${e.date_start}${e.date_end && e.date_end !== e.date_start ? ' – ' + e.date_end : ''}</a></td>
          <td>${e.place || e.admin1_name || e.country}<span class="muted"> ${e.country}</span></td>
          ${!compact && html`<td>${e.sub_event_type || e.event_type}</td>`}
          <td>${actorsText(e.actors)}</td>
          <td class="killed"><span class="nowrap">${range(e.killed)}</span><${KilledBar} killed=${e.killed} max=${max} /></td>
          <td>${(e.sources || []).map((s) => html`<span class="src">${s.name} <${Reliability} grade=${s.reliability} /></span>`)}</td>
          <td><${CredibilityBadge} value=${e.credibility} /></td>
          <td>${(e.contradictions || []).map((c) => html`<span class="flag" title=${c.description}>${contradictionText[c.kind] || c.kind}</span>`)}${e.tlp && e.tlp !== 'CLEAR' && html`<span class=${'tlp tlp-' + e.tlp.split('+')[0]}>TLP:${e.tlp}</span>`}</td>
        </tr>`)}
      </tbody>
    </table>
    ${!loading && !items.length && !error && html`<p class="muted">No events match.</p>`}
  </section>`;
}
