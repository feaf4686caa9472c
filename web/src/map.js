// The map: countries and admin-1 units shaded by their events, events as
// points clustered from the server's one-degree grid summary, a filter
// panel, and a time slider over the months that have events. Nothing is
// fetched from outside: the base map is world-atlas, the admin-1 units are
// the boundaries vigil ships (web/public/admin1.json).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import countriesURL from 'world-atlas/countries-50m.json?url';
import { get } from './api.js';
import {
  html, useLoad, useDebounced, ErrorBox, FilterPanel, EventTable, pickFilters, navigate,
} from './ui.js';

// ---- time ----

/** monthsBetween lists "YYYY-MM" from first to last inclusive. */
export function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function lastDay(month) {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function monthsBack(month, n) {
  let [y, m] = month.split('-').map(Number);
  m -= n;
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** sliderWindow is the period the slider selects: everything up to the month, the month, or the year to it. */
function sliderWindow(month, mode) {
  if (!month) return {};
  const to = lastDay(month);
  if (mode === 'month') return { from: month + '-01', to };
  if (mode === 'year') return { from: monthsBack(month, 11) + '-01', to };
  return { to };
}

const later = (a, b) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a, b) => (!a ? b : !b ? a : a < b ? a : b);

// ---- shading ----

const shades = ['#fde0d0', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];
// Countries take a paler, browner scale than admin-1 units, so that the
// two are not read as one.
const countryShades = ['#f3ead9', '#e8d5b5', '#d9bb8c', '#c49a63', '#a97c45'];

function shade(n, max, scale = shades) {
  if (!n) return null;
  const i = Math.min(scale.length - 1, Math.floor((Math.log(1 + n) / Math.log(1 + Math.max(max, 1))) * (scale.length - 0.001)));
  return scale[Math.max(0, i)];
}

/** cluster merges one-degree grid cells into cells of size degrees. */
export function cluster(grid, size) {
  const m = new Map();
  for (const b of grid) {
    const [lat, lon] = b.key.split(',').map(Number);
    const k = `${Math.floor(lat / size) * size},${Math.floor(lon / size) * size}`;
    let c = m.get(k);
    if (!c) m.set(k, (c = { key: k, events: 0, killed_low: 0, killed_best: 0, killed_high: 0, lat: 0, lon: 0, cells: [] }));
    c.events += b.events;
    c.killed_low += b.killed_low;
    c.killed_best += b.killed_best;
    c.killed_high += b.killed_high;
    c.lat += (lat + 0.5) * b.events;
    c.lon += (lon + 0.5) * b.events;
    c.cells.push(b.key);
  }
  return [...m.values()].map((c) => ({ ...c, lat: c.lat / c.events, lon: c.lon / c.events }));
}

const clusterSize = (zoom) => (zoom >= 6 ? 1 : zoom >= 4.5 ? 2 : zoom >= 3 ? 4 : 8);

function textEl(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  el.textContent = text;
  return el;
}

function killedText(b) {
  if (b.killed_low === b.killed_high) return `${b.killed_best} killed`;
  return `${b.killed_low}–${b.killed_high} killed (best ${b.killed_best})`;
}

// ---- admin-1 units ----

/** norm folds a code or name as the server folds admin-1 units ("AF-NAN" → "af nan"). */
export function norm(s) {
  return String(s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * unitIndex maps the keys of the server's admin-1 summary ("AF/af nan":
 * country, then the unit's folded code or name) to the shipped boundaries'
 * units.
 */
export function unitIndex(admin1) {
  const m = new Map();
  for (const f of admin1.features) {
    const { code, name } = f.properties;
    const cc = code.split(/[-.]/)[0];
    m.set(cc + '/' + norm(code), f.properties);
    if (name && !m.has(cc + '/' + norm(name))) m.set(cc + '/' + norm(name), f.properties);
  }
  return (key) => {
    const i = key.indexOf('/');
    return i < 0 ? undefined : m.get(key.slice(0, i) + '/' + norm(key.slice(i + 1)));
  };
}

// ---- the Leaflet map ----

let basePromise;
function loadBase() {
  basePromise ||= Promise.all([
    fetch(countriesURL).then((r) => r.json()),
    fetch('/admin1.json').then((r) => r.json()),
    fetch('/iso-numeric.json').then((r) => r.json()),
  ]).then(([topo, admin1, iso]) => {
    const countries = feature(topo, topo.objects.countries);
    for (const f of countries.features) f.properties.code = iso[f.id] || '';
    return { countries, admin1, unit: unitIndex(admin1) };
  });
  return basePromise;
}

function LeafletMap({ byCountry, byAdmin1, grid, selected, onPick, unit, fitKey }) {
  const el = useRef(null);
  const st = useRef({});
  const [ready, setReady] = useState(false);
  const [zoom, setZoom] = useState(4);

  useEffect(() => {
    const map = L.map(el.current, { zoomSnap: 0.5, minZoom: 2, maxZoom: 10, keyboard: true, worldCopyJump: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Boundaries: Natural Earth, geoBoundaries (world-atlas, vigil)');
    map.setView([35, 66], 4);
    map.createPane('admin1').style.zIndex = 410;
    map.createPane('cells').style.zIndex = 620;
    map.on('zoomend', () => setZoom(map.getZoom()));
    st.current.map = map;
    let alive = true;
    loadBase().then(({ countries, admin1 }) => {
      if (!alive) return;
      st.current.countries = L.geoJSON(countries, {
        style: () => ({ color: '#8a8a8a', weight: 0.6, fillColor: '#fbfaf7', fillOpacity: 1 }),
        interactive: false,
      }).addTo(map);
      st.current.admin1 = L.geoJSON(admin1, {
        pane: 'admin1',
        style: () => ({ color: '#b0a8a0', weight: 0.5, fillOpacity: 0, fillColor: '#fff' }),
        onEachFeature: (f, layer) => {
          layer.on('click', () => st.current.onPick && st.current.onPick(f.properties.code));
          layer.bindTooltip(() => {
            const n = (st.current.admin1Counts || {})[f.properties.code];
            const box = document.createElement('div');
            box.append(textEl('strong', '', f.properties.name), textEl('div', '', `${f.properties.code}: ${n ? n.events + ' events, ' + killedText(n) : 'no events'}`));
            return box;
          }, { sticky: true });
        },
      }).addTo(map);
      // The units are listed as buttons beside the map: keep their 200
      // shapes out of the Tab order, which Chromium would give them.
      st.current.admin1.eachLayer((l) => l.getElement() && l.getElement().setAttribute('tabindex', '-1'));
      st.current.cells = L.layerGroup([], { pane: 'cells' }).addTo(map);
      setReady(true);
    }, (err) => console.error('base map', err));
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => map.invalidateSize());
    });
    ro.observe(el.current);
    return () => { alive = false; cancelAnimationFrame(frame); ro.disconnect(); map.stop(); map.remove(); };
  }, []);

  st.current.onPick = onPick;

  // Shading.
  useEffect(() => {
    if (!ready) return;
    const cc = Object.fromEntries((byCountry || []).map((b) => [b.key, b]));
    const ac = {};
    for (const b of byAdmin1 || []) {
      const u = unit && unit(b.key);
      if (u) ac[u.code] = b;
    }
    st.current.admin1Counts = ac;
    const maxC = Math.max(1, ...(byCountry || []).map((b) => b.events));
    const maxA = Math.max(1, ...(byAdmin1 || []).map((b) => b.events));
    st.current.countries.setStyle((f) => {
      const b = cc[f.properties.code];
      return { color: '#8a8a8a', weight: b ? 1 : 0.6, fillColor: b ? shade(b.events, maxC, countryShades) : '#fbfaf7', fillOpacity: 1, opacity: 1 };
    });
    st.current.admin1.setStyle((f) => {
      const b = ac[f.properties.code];
      const sel = f.properties.code === selected;
      return {
        color: sel ? '#1d4e89' : '#b0a8a0', weight: sel ? 2.5 : 0.5,
        fillColor: b ? shade(b.events, maxA) : '#fff', fillOpacity: b ? 0.75 : 0,
      };
    });
  }, [ready, byCountry, byAdmin1, selected, unit]);

  // When the filters change (not the slider), frame their events.
  useEffect(() => {
    if (!ready || !grid || !grid.length || st.current.fitted === fitKey) return;
    st.current.fitted = fitKey;
    const pts = grid.flatMap((b) => {
      const [lat, lon] = b.key.split(',').map(Number);
      return [[lat, lon], [lat + 1, lon + 1]];
    });
    st.current.map.fitBounds(L.latLngBounds(pts), { padding: [24, 24], maxZoom: 7, animate: false });
  }, [ready, grid, fitKey]);

  // Points, clustered by zoom.
  useEffect(() => {
    if (!ready) return;
    const layer = st.current.cells;
    layer.clearLayers();
    const size = clusterSize(zoom);
    for (const c of cluster(grid || [], size)) {
      const icon = document.createElement('div');
      icon.className = 'cluster-dot';
      icon.textContent = String(c.events);
      icon.dataset.events = String(c.events);
      icon.dataset.cells = c.cells.join(' ');
      const d = Math.round(18 + 6 * Math.sqrt(c.events));
      const m = L.marker([c.lat, c.lon], {
        pane: 'cells',
        icon: L.divIcon({ html: icon, className: 'cluster', iconSize: [d, d] }),
        title: `${c.events} events, ${killedText(c)}`,
        alt: `${c.events} events`,
        keyboard: true,
        riseOnHover: true,
      });
      const pop = document.createElement('div');
      pop.append(textEl('strong', '', `${c.events} event${c.events === 1 ? '' : 's'}`), textEl('div', '', killedText(c)),
        textEl('div', 'muted', size === 1 ? `cell ${c.key} (1°)` : `${c.cells.length} cells of 1°; zoom in to split`));
      m.bindPopup(pop);
      m.on('click', () => {
        if (size > 1) st.current.map.setView([c.lat, c.lon], Math.min(10, st.current.map.getZoom() + 2));
      });
      layer.addLayer(m);
    }
  }, [ready, grid, zoom]);

  return html`<div class="map" ref=${el} role="region" aria-label="Map of events (arrow keys pan, + and − zoom)"></div>`;
}

// ---- the slider's histogram ----

function Histogram({ months, counts, index, windowStart }) {
  const max = Math.max(1, ...months.map((m) => counts[m] || 0));
  const w = 100 / Math.max(1, months.length);
  return html`<svg class="hist" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
    ${months.map((m, i) => {
      const n = counts[m] || 0;
      const on = i <= index && i >= windowStart;
      const hgt = n ? Math.max(1.5, (n / max) * 28) : 0;
      return html`<rect key=${m} x=${i * w} y=${30 - hgt} width=${Math.max(w * 0.85, 0.2)} height=${hgt} class=${on ? 'on' : 'off'} />`;
    })}
  </svg>`;
}

// ---- the page ----

export function MapPage({ params }) {
  const filters = pickFilters(params);
  const key = JSON.stringify(filters);
  const monthly = useLoad(() => get('/event-summary', { ...filters, by: 'month' }), [key]);
  const months = useMemo(() => {
    const keys = (monthly.data || []).map((b) => b.key).filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
    return keys.length ? monthsBetween(keys[0], keys[keys.length - 1]) : [];
  }, [monthly.data]);
  const counts = useMemo(() => Object.fromEntries((monthly.data || []).map((b) => [b.key, b.events])), [monthly.data]);
  const [mode, setMode] = useState(params.window || 'cumulative');
  const [index, setIndex] = useState(null); // null: the last month
  const [playing, setPlaying] = useState(false);
  useEffect(() => setIndex(null), [key]);
  const idx = index == null ? months.length - 1 : Math.min(index, months.length - 1);
  const month = index == null ? null : months[idx];
  const win = sliderWindow(month, mode);
  const windowStart = !month ? 0 : mode === 'month' ? idx : mode === 'year' ? Math.max(0, idx - 11) : 0;
  const mapFilters = { ...filters, from: later(filters.from, win.from), to: earlier(filters.to, win.to) };
  const mapKey = useDebounced(JSON.stringify(mapFilters), 120);
  const selected = params.admin1 || '';

  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      setIndex((i) => {
        const n = (i == null ? months.length - 1 : i) + 1;
        if (n >= months.length) { setPlaying(false); return null; }
        return n;
      });
    }, 400);
    return () => clearInterval(t);
  }, [playing, months.length]);

  const sums = useLoad(async () => {
    const f = JSON.parse(mapKey);
    const [country, admin1, grid] = await Promise.all(['country', 'admin1', 'grid'].map((by) => get('/event-summary', { ...f, by })));
    return { country, admin1, grid };
  }, [mapKey]);
  const total = ((sums.data && sums.data.country) || []).reduce((n, b) => n + b.events, 0);
  const located = ((sums.data && sums.data.grid) || []).reduce((n, b) => n + b.events, 0);
  const apply = (f) => navigate('/map', f);
  const pick = (code) => navigate('/map', { ...filters, admin1: code === selected ? '' : code });
  const base = useLoad(loadBase, []);
  const unit = base.data && base.data.unit;
  const topUnits = ((sums.data && sums.data.admin1) || []).filter((b) => !b.key.endsWith('/'))
    .sort((a, b) => b.events - a.events).slice(0, 12)
    .map((b) => {
      const u = unit && unit(b.key);
      return { ...b, code: u ? u.code : b.key.slice(b.key.indexOf('/') + 1).toUpperCase(), name: u ? u.name : b.key.slice(b.key.indexOf('/') + 1) };
    });

  return html`<main class="page mappage">
    <aside class="mapside">
      <h1>Map</h1>
      <${FilterPanel} filters=${filters} onApply=${apply} />
      <section class="slider" aria-label="Time slider">
        <h2>Over time</h2>
        ${months.length > 0 ? html`
          <${Histogram} months=${months} counts=${counts} index=${idx} windowStart=${windowStart} />
          <input type="range" id="time-slider" min="0" max=${months.length - 1} value=${idx}
            aria-label="Show events up to this month" aria-valuetext=${month || 'all months'}
            onInput=${(e) => { setPlaying(false); setIndex(Number(e.currentTarget.value)); }} />
          <div class="sliderrow">
            <span id="slider-label">${month ? (mode === 'cumulative' ? 'up to ' : mode === 'year' ? '12 months to ' : '') + month : `all (${months[0]} to ${months[months.length - 1]})`}</span>
            <select aria-label="Window" value=${mode} onChange=${(e) => setMode(e.currentTarget.value)}>
              <option value="cumulative">up to the month</option>
              <option value="year">12 months to it</option>
              <option value="month">the month alone</option>
            </select>
            <button type="button" onClick=${() => { if (!playing && index == null) setIndex(0); setPlaying(!playing); }}>${playing ? 'Pause' : 'Play'}</button>
            <button type="button" class="secondary" onClick=${() => { setPlaying(false); setIndex(null); }}>All</button>
          </div>` : html`<p class="muted">No dated events.</p>`}
      </section>
      <section aria-label="Summary">
        <p id="map-summary" aria-live="polite" data-total=${total} data-located=${located}>${sums.loading ? 'Loading…' : `${total} events, ${located} with coordinates on the map.`}</p>
        <${ErrorBox} error=${sums.error || monthly.error} />
        ${topUnits.length > 0 && html`<h2>Admin-1 units</h2>
          <ul class="units">
            ${topUnits.map((b) => html`<li key=${b.key}><button type="button" class="link" aria-pressed=${b.code === selected} data-admin1=${b.code} title=${b.code} onClick=${() => pick(b.code)}>${b.name}</button> <span>${b.events}</span></li>`)}
          </ul>`}
      </section>
      <p class="legend" aria-hidden="true">
        ${shades.map((c, i) => html`<span key=${c} class=${'sw sw' + i}></span>`)} admin-1 units
      </p>
      <p class="legend" aria-hidden="true">
        ${countryShades.map((c, i) => html`<span key=${c} class=${'sw cw' + i}></span>`)} countries; fewer → more events (log scale)
      </p>
    </aside>
    <section class="mapwrap">
      <${LeafletMap} byCountry=${sums.data && sums.data.country} byAdmin1=${sums.data && sums.data.admin1} grid=${sums.data && sums.data.grid} selected=${selected} onPick=${pick} unit=${unit} fitKey=${key} />
      <${EventTable} filters=${JSON.parse(mapKey)} compact=${true} limit=${15} title="Events on the map" />
    </section>
  </main>`;
}
