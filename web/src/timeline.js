// The timeline: events per month and the killed range (low to high, with
// the best estimate) from the server's monthly summary, and the events
// themselves, each with its killed range.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from './api.js';
import { html, useLoad, ErrorBox, FilterPanel, EventTable, pickFilters, navigate } from './ui.js';
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
      </div>` : html`<p class="muted">No dated events match.</p>`}
    <${EventTable} filters=${filters} sort="date" />
  </main>`;
}
