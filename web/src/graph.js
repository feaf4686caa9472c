// The actor graph: actors and their sourced relationships (allegiance,
// splinter, rivalry, …) on a given day, laid out by a small force
// simulation, drawn in SVG. Nodes are buttons, so the keyboard reaches
// them; the selected actor's ties are listed with their descriptions.
import { useMemo, useState } from 'preact/hooks';
import { get } from './api.js';
import { html, useLoad, ErrorBox, Loading, CredibilityBadge, navigate } from './ui.js';

const typeColors = {
  allegiance: '#1d4e89', splinter: '#8e44ad', rivalry: '#c0392b', cooperation: '#27864a', sanctuary: '#b9770e',
  combat: '#e03131', 'recruitment-from': '#0c8599', 'subsidiary-of': '#495057',
};

/** layout places nodes by a deterministic force simulation in a 1000×640 box. */
export function layout(nodes, edges) {
  const W = 1000, H = 640;
  const pos = new Map();
  nodes.forEach((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, nodes.length);
    pos.set(n, { x: W / 2 + 250 * Math.cos(a), y: H / 2 + 220 * Math.sin(a), vx: 0, vy: 0 });
  });
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.6;
  for (let it = 0; it < 300; it++) {
    const t = 1 - it / 300;
    for (const a of nodes) {
      const pa = pos.get(a);
      for (const b of nodes) {
        if (a === b) continue;
        const pb = pos.get(b);
        let dx = pa.x - pb.x, dy = pa.y - pb.y;
        const d2 = Math.max(25, dx * dx + dy * dy);
        const f = (k * k) / d2;
        pa.vx += dx * f * 0.05;
        pa.vy += dy * f * 0.05;
      }
    }
    for (const e of edges) {
      const pa = pos.get(e.from), pb = pos.get(e.to);
      if (!pa || !pb) continue;
      const dx = pb.x - pa.x, dy = pb.y - pa.y;
      const d = Math.max(1, Math.sqrt(dx * dx + dy * dy));
      const f = (d - k) * 0.02;
      pa.vx += (dx / d) * f; pa.vy += (dy / d) * f;
      pb.vx -= (dx / d) * f; pb.vy -= (dy / d) * f;
    }
    for (const p of pos.values()) {
      p.vx += (W / 2 - p.x) * 0.002;
      p.vy += (H / 2 - p.y) * 0.002;
      const v = Math.sqrt(p.vx * p.vx + p.vy * p.vy);
      const cap = 20 * t + 1;
      if (v > cap) { p.vx *= cap / v; p.vy *= cap / v; }
      p.x = Math.min(W - 150, Math.max(150, p.x + p.vx));
      p.y = Math.min(H - 30, Math.max(40, p.y + p.vy));
      p.vx *= 0.6; p.vy *= 0.6;
    }
  }
  return pos;
}

export function GraphPage({ params }) {
  const at = params.at || '';
  const selected = params.actor || '';
  const { data, error, loading } = useLoad(async () => {
    const [actors, rels] = await Promise.all([get('/actors'), get('/relationships', { at })]);
    return { actors, rels };
  }, [at]);
  const [draft, setDraft] = useState(at);
  const graph = useMemo(() => {
    if (!data) return null;
    const names = Object.fromEntries(data.actors.map((a) => [a.id, a.name]));
    const ids = [...new Set(data.rels.flatMap((r) => [r.from, r.to]))].sort();
    const pos = layout(ids, data.rels);
    return { names, ids, pos };
  }, [data]);
  const go = (p) => navigate('/actors', { at, actor: selected, ...p });
  if (loading && !data) return html`<main class="page"><h1>Actor graph</h1><${Loading} /></main>`;
  const rels = (data && data.rels) || [];
  const mine = rels.filter((r) => r.from === selected || r.to === selected);
  const name = (id) => (graph && graph.names[id]) || id;
  return html`<main class="page graphpage">
    <h1>Actor graph</h1>
    <form class="filters" onSubmit=${(e) => { e.preventDefault(); go({ at: draft }); }}>
      <label>On the day <input value=${draft} onInput=${(e) => setDraft(e.currentTarget.value)} placeholder="2022-06-01" size="10" /></label>
      <button type="submit">Show</button>
      <span class="muted">${rels.length} relationships among ${graph ? graph.ids.length : 0} actors${at ? ' valid on ' + at : ' over all time'}.</span>
    </form>
    <${ErrorBox} error=${error} />
    ${graph && html`<div class="graphwrap">
      <svg class="graph" viewBox="0 0 1000 640" role="group" aria-label="Actors and their relationships">
        <defs>${Object.entries(typeColors).map(([t, c]) => html`<marker id=${'arrow-' + t} viewBox="0 0 10 10" refX="19" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill=${c} /></marker>`)}</defs>
        ${rels.map((r) => {
          const a = graph.pos.get(r.from), b = graph.pos.get(r.to);
          if (!a || !b) return null;
          const on = selected && (r.from === selected || r.to === selected);
          return html`<line key=${r.id} x1=${a.x} y1=${a.y} x2=${b.x} y2=${b.y} stroke=${typeColors[r.type] || '#777'}
            stroke-width=${on ? 3.5 : 1.6} stroke-opacity=${selected && !on ? 0.25 : 0.9} stroke-dasharray=${r.type === 'rivalry' || r.type === 'combat' ? '6 4' : undefined}
            marker-end=${typeColors[r.type] ? `url(#arrow-${r.type})` : undefined}>
            <title>${name(r.from)} → ${name(r.to)}: ${r.type}</title></line>`;
        })}
        ${graph.ids.map((id) => {
          const p = graph.pos.get(id);
          const on = id === selected;
          return html`<g key=${id} class=${'node' + (on ? ' on' : '')} tabindex="0" role="button" aria-pressed=${on} data-actor=${id}
            transform=${`translate(${p.x},${p.y})`}
            onClick=${() => go({ actor: on ? '' : id })}
            onKeyDown=${(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go({ actor: on ? '' : id }); } }}>
            <circle r=${on ? 11 : 8} />
            <text y="-13" text-anchor="middle">${name(id)}</text>
          </g>`;
        })}
      </svg>
      <aside class="legend-list">
        <h2>Ties</h2>
        <ul class="plain">${Object.entries(typeColors).map(([t, c]) => html`<li><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke=${c} stroke-width="3" /></svg> ${t}</li>`)}</ul>
        ${selected && html`<h2>${name(selected)}</h2>
          <p><a href=${'#/map?actor=' + encodeURIComponent(selected)}>Its events on the map</a></p>
          <ul class="ties">
            ${mine.map((r) => html`<li key=${r.id}>
              <strong>${name(r.from)}</strong> <span class="reltype">${r.type}</span> <strong>${name(r.to)}</strong>
              <span class="muted"> ${r.valid_from || '…'} – ${r.valid_to || '…'}</span> <${CredibilityBadge} value=${r.credibility} />
              ${r.description && html`<div>${r.description}</div>`}
              <div class="small muted">documents ${(r.document_ids || []).join(', ')}</div>
            </li>`)}
          </ul>`}
      </aside>
    </div>`}
  </main>`;
}
