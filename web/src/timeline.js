// The timeline: events per month and the killed range (low to high, with
// the best estimate) from the server's monthly summary, and the events
// themselves, each with its killed range.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from './api.js';
import { html, useLoad, ErrorBox, FilterPanel, EventTable, pickFilters, navigate, range } from './ui.js';
import { monthsBetween } from './map.js';

function monthTime(m) {
  const [y, mo] = m.split('-').map(Number);
  return Date.UTC(y, mo - 1, 1) / 1000;
}

/** series turns monthly buckets into uPlot's columns, months without events as zero. */
export function series(buckets) {
  const keys = buckets.map((b) => b.key).filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
  if (!keys.length) return null;
  const by = Object.fromEntries(buckets.map((b) => [b.key, b]));
  const months = monthsBetween(keys[0], keys[keys.length - 1]);
  const col = (f) => months.map((m) => (by[m] ? by[m][f] : 0));
  return [months.map(monthTime), col('events'), col('killed_low'), col('killed_best'), col('killed_high')];
}

function Chart({ data, title, which }) {
  const el = useRef(null);
  useEffect(() => {
    const box = el.current;
    if (!data || !box) return;
    const width = () => Math.max(320, box.clientWidth);
    const bars = uPlot.paths.bars({ size: [0.8, 40] });
    const opts = which === 'events'
      ? {
        title, width: width(), height: 220,
        scales: { x: { time: true } },
        series: [{}, { label: 'events', stroke: '#1d4e89', fill: 'rgba(29,78,137,0.35)', paths: bars, points: { show: false } }],
        axes: [{}, { label: 'events' }],
      }
      : {
        title, width: width(), height: 260,
        scales: { x: { time: true } },
        series: [{},
          { label: 'killed, low', stroke: '#d99', points: { show: false } },
          { label: 'killed, best', stroke: '#a50f15', width: 2, points: { show: false } },
          { label: 'killed, high', stroke: '#d99', points: { show: false } }],
        bands: [{ series: [3, 1], fill: 'rgba(222,45,38,0.18)' }],
        axes: [{}, { label: 'killed (sum per month)' }],
      };
    const cols = which === 'events' ? [data[0], data[1]] : [data[0], data[2], data[3], data[4]];
    const plot = new uPlot(opts, cols, box);
    // Resize on the next frame, and only when the width changed, so that
    // resizing never loops within one frame.
    let w = width(), frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (width() !== w) plot.setSize({ width: (w = width()), height: opts.height });
      });
    });
    ro.observe(box);
    return () => { cancelAnimationFrame(frame); ro.disconnect(); plot.destroy(); };
  }, [data, which]);
  return html`<div class="chart" ref=${el}></div>`;
}

const dayMs = 86400000;
const toTime = (d) => Date.parse(d + 'T00:00:00Z');

/**
 * Ranges draws the deadliest events that match (at most 500: the server
 * sorts and cuts) on a time axis, each as its killed range from low to
 * high with a dot at the best estimate, on a log scale.
 */
function Ranges({ filters }) {
  const key = JSON.stringify(filters);
  const { data, error } = useLoad(() => get('/events', { ...filters, sort: '-killed', limit: 500 }), [key]);
  const evs = ((data && data.items) || []).filter((e) => e.date_start && e.killed && (e.killed.high ?? e.killed.best) != null);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!evs.length) return null;
  const W = 1000, H = 240, L = 44, R = 10, T = 10, B = 24;
  const t0 = Math.min(...evs.map((e) => toTime(e.date_start))) - 15 * dayMs;
  const t1 = Math.max(...evs.map((e) => toTime(e.date_start))) + 15 * dayMs;
  const max = Math.max(10, ...evs.map((e) => e.killed.high ?? e.killed.best));
  const x = (d) => L + ((toTime(d) - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => H - B - (Math.log10(1 + Math.max(0, v)) / Math.log10(1 + max)) * (H - T - B);
  const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
  const years = [];
  for (let yr = y0 + 1; yr <= y1; yr++) years.push(yr);
  const step = Math.ceil(years.length / 12) || 1;
  const ticks = [1, 10, 100, 1000, 10000].filter((v) => v <= max * 1.5);
  return html`<section class="chart ranges" aria-label="Killed range of each event">
    <h2 class="charttitle">Killed in each event: range and best estimate <span class="muted small">(the ${evs.length} deadliest${data.total > evs.length ? ' of ' + data.total : ''}; log scale)</span></h2>
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${`killed ranges of ${evs.length} events over time`}>
      ${ticks.map((v) => html`<g key=${v}><line x1=${L} x2=${W - R} y1=${y(v)} y2=${y(v)} class="grid" /><text x=${L - 6} y=${y(v) + 4} text-anchor="end" class="tick">${v}</text></g>`)}
      ${years.filter((_, i) => i % step === 0).map((yr) => html`<g key=${yr}><line x1=${x(yr + '-01-01')} x2=${x(yr + '-01-01')} y1=${T} y2=${H - B} class="grid" /><text x=${x(yr + '-01-01')} y=${H - 6} text-anchor="middle" class="tick">${yr}</text></g>`)}
      ${evs.map((e) => {
        const k = e.killed, cx = x(e.date_start);
        const lo = k.low ?? k.best, hi = k.high ?? k.best;
        return html`<a key=${e.id} href=${'#/events/' + e.id} tabindex="-1" class=${'ev' + ((e.contradictions || []).length ? ' contra' : '')}>
          <title>${e.date_start} ${e.place || e.country}: killed ${range(k)}</title>
          <line x1=${cx} x2=${cx} y1=${y(lo)} y2=${y(hi)} class="span" />
          ${k.best != null && html`<circle cx=${cx} cy=${y(k.best)} r="2.6" class="best" />`}
        </a>`;
      })}
    </svg>
    <p class="small muted">Each line spans an event's lowest and highest credible toll, the dot its best estimate; red marks events whose reports contradict each other. Click one to open it.</p>
  </section>`;
}

export function TimelinePage({ params }) {
  const filters = pickFilters(params);
  const key = JSON.stringify(filters);
  const { data, error, loading } = useLoad(() => get('/event-summary', { ...filters, by: 'month' }), [key]);
  const cols = data ? series(data) : null;
  const total = (data || []).reduce((n, b) => n + b.events, 0);
  const unknown = (data || []).reduce((n, b) => n + (b.unknown_killed || 0), 0);
  return html`<main class="page">
    <h1>Timeline</h1>
    <${FilterPanel} filters=${filters} onApply=${(f) => navigate('/timeline', f)} />
    <${ErrorBox} error=${error} />
    ${loading ? html`<p class="muted">Loading…</p>` : cols ? html`
      <p class="muted">${total} events; the killed band spans each month's low and high sums${unknown ? `; ${unknown} event${unknown === 1 ? '' : 's'} with no known toll count${unknown === 1 ? 's' : ''} as none` : ''}.</p>
      <div class="charts">
        <${Chart} data=${cols} which="events" title="Events per month" />
        <${Chart} data=${cols} which="killed" title="Killed per month: range and best estimate" />
      </div>
      <${Ranges} filters=${filters} />` : html`<p class="muted">No dated events match.</p>`}
    <${EventTable} filters=${filters} sort="date" />
  </main>`;
}
