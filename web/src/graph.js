// The actor graph: actors and their ties over a window — sourced
// relationships (allegiance, splinter, rivalry, …), combat and
// co-occurrence in events when the server builds the network
// (/actors/graph), the relationships alone otherwise — laid out by a small
// force simulation and drawn in SVG. Nodes are buttons, so the keyboard
// reaches them; the selected actor's ties are listed with their sources
// and events.
import { useMemo, useState } from 'preact/hooks';
import { get } from './api.js';
import { html, useLoad, ErrorBox, Loading, CredibilityBadge, navigate, useServed, href } from './ui.js';

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
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.5;
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
      p.vx += (W / 2 - p.x) * 0.01;
      p.vy += (H / 2 - p.y) * 0.012;
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

const communityColors = ['#14213d', '#c2255c', '#2b8a3e', '#e67700', '#5f3dc4', '#0b7285', '#862e9c', '#5c940d'];

/** loadGraph reads the network from /actors/graph, or builds its relationship part from /relationships. */
async function loadGraph(network, params) {
  if (network) {
    const g = await get('/actors/graph', { at: params.at, from: params.from, to: params.to, actor: params.ego });
    return { ...g, network: true };
  }
  const [actors, rels] = await Promise.all([get('/actors'), get('/relationships', { at: params.at })]);
  const names = Object.fromEntries(actors.map((a) => [a.id, a.name]));
  const ids = [...new Set(rels.flatMap((r) => [r.from, r.to]))].sort();
  return {
    nodes: ids.map((id) => ({ id, name: names[id] || id })),
    edges: rels.map((r) => ({ ...r, kind: 'relationship', relationship_id: r.id, weight: 1 })),
    network: false,
  };
}

function edgeColor(e) {
  if (e.kind === 'relationship') return typeColors[e.type] || '#777';
  if (e.kind === 'combat') return '#e03131';
  return '#868e96';
}

function edgeLabel(e) {
  return e.kind === 'relationship' ? e.type : e.kind;
}

export function GraphPage({ params }) {
  const network = useServed('/actors/graph');
  const selected = params.actor || '';
  const key = JSON.stringify([params.at, params.from, params.to, params.ego]);
  const { data, error, loading } = useLoad(() => (network === undefined ? null : loadGraph(network, params)), [network, key]);
  const [draft, setDraft] = useState({ at: params.at || '', from: params.from || '', to: params.to || '', ego: params.ego || '' });
  const graph = useMemo(() => {
    if (!data) return null;
    const ids = data.nodes.map((n) => n.id);
    const pos = layout(ids, data.edges);
    const nodes = Object.fromEntries(data.nodes.map((n) => [n.id, n]));
    return { ids, pos, nodes };
  }, [data]);
  const go = (p) => navigate('/actors', { ...params, ...p });
  if (network === undefined || (loading && !data)) return html`<main class="page"><h1>Actor graph</h1><${Loading} /></main>`;
  const edges = (data && data.edges) || [];
  const mine = edges.filter((e) => e.from === selected || e.to === selected);
  const name = (id) => (graph && graph.nodes[id] && graph.nodes[id].name) || id;
  const me = graph && graph.nodes[selected];
  const maxEvents = Math.max(1, ...((data && data.nodes) || []).map((n) => n.events || 0));
  const radius = (n) => (network ? 6 + 12 * Math.sqrt((n.events || 0) / maxEvents) : 8);
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value });
  return html`<main class="page graphpage">
    <h1>Actor graph</h1>
    <form class="filters" onSubmit=${(e) => { e.preventDefault(); go(draft); }}>
      <label>On the day <input value=${draft.at} onInput=${set('at')} placeholder="2022-06-01" size="10" /></label>
      ${network && html`<label>or from <input value=${draft.from} onInput=${set('from')} placeholder="2015-01-01" size="10" /></label>
        <label>to <input value=${draft.to} onInput=${set('to')} placeholder="2024-12-31" size="10" /></label>
        <label>Around actor <input value=${draft.ego} onInput=${set('ego')} placeholder="ISKP" size="10" /></label>`}
      <button type="submit">Show</button>
      <span class="muted">${edges.length} ties among ${graph ? graph.ids.length : 0} actors${data && data.window && (data.window.from || data.window.to) ? `, ${data.window.from || '…'} to ${data.window.to || '…'}` : params.at ? ' on ' + params.at : ''}${data && data.network ? `; ${data.events} events` : ''}.</span>
    </form>
    <${ErrorBox} error=${error} />
    ${graph && html`<div class="graphwrap">
      <svg class="graph" viewBox="0 0 1000 640" role="group" aria-label="Actors and their ties">
        <defs>${Object.entries({ ...typeColors, combat: '#e03131', 'co-occurrence': '#868e96' }).map(([t, c]) => html`<marker id=${'arrow-' + t} viewBox="0 0 10 10" refX="22" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill=${c} /></marker>`)}</defs>
        ${edges.map((e, i) => {
          const a = graph.pos.get(e.from), b = graph.pos.get(e.to);
          if (!a || !b) return null;
          const on = selected && (e.from === selected || e.to === selected);
          // Event ties bend away from the straight relationship line between the same two actors.
          const bend = e.kind === 'relationship' ? 0 : e.kind === 'combat' ? 40 : -40;
          const mx = (a.x + b.x) / 2 + (bend * (b.y - a.y)) / Math.max(1, Math.hypot(b.x - a.x, b.y - a.y));
          const my = (a.y + b.y) / 2 - (bend * (b.x - a.x)) / Math.max(1, Math.hypot(b.x - a.x, b.y - a.y));
          const width = e.kind === 'relationship' ? 1.8 : Math.min(6, 1 + Math.log2(1 + (e.events || e.weight || 1)));
          return html`<path key=${i} d=${`M ${a.x} ${a.y} Q ${mx} ${my} ${b.x} ${b.y}`} fill="none" stroke=${edgeColor(e)} data-kind=${e.kind}
            stroke-width=${on ? width + 2 : width} stroke-opacity=${selected && !on ? 0.2 : 0.85}
            stroke-dasharray=${e.type === 'rivalry' || e.type === 'combat' || e.kind === 'combat' ? '6 4' : undefined}
            marker-end=${e.kind === 'relationship' && typeColors[e.type] ? `url(#arrow-${e.type})` : undefined}>
            <title>${name(e.from)} → ${name(e.to)}: ${edgeLabel(e)}${e.events ? `, ${e.events} events` : ''}</title></path>`;
        })}
        ${graph.ids.map((id) => {
          const p = graph.pos.get(id);
          const n = graph.nodes[id];
          const on = id === selected;
          const fill = on ? '#f08c00' : network && n.community >= 0 ? communityColors[n.community % communityColors.length] : '#14213d';
          return html`<g key=${id} class=${'node' + (on ? ' on' : '')} tabindex="0" role="button" aria-pressed=${on} data-actor=${id}
            aria-label=${n.name + (network ? `, ${n.events} events, ${n.degree} ties` : '')}
            transform=${`translate(${p.x},${p.y})`}
            onClick=${() => go({ actor: on ? '' : id })}
            onKeyDown=${(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go({ actor: on ? '' : id }); } }}>
            <circle r=${radius(n) + (on ? 3 : 0)} fill=${fill} />
            <text y=${-radius(n) - 5} text-anchor="middle">${n.name}</text>
          </g>`;
        })}
      </svg>
      <aside class="legend-list">
        <h2>Ties</h2>
        <ul class="plain">${Object.entries(typeColors).map(([t, c]) => html`<li><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke=${c} stroke-width="3" /></svg> ${t}</li>`)}
          ${network && html`<li><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="#e03131" stroke-width="3" stroke-dasharray="6 4" /></svg> fought in events</li>
          <li><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="#868e96" stroke-width="3" /></svg> in the same events</li>`}
        </ul>
        ${network && html`<p class="small muted">A node's size is its events in the window; its colour its community.</p>`}
        ${me && html`<h2>${me.name}</h2>
          ${network && html`<p class="small">${me.events} events · ${me.degree} ties · betweenness ${(me.betweenness || 0).toFixed(2)}</p>`}
          <p><a href=${href('/map', { actor: selected })}>Its events on the map</a></p>
          <ul class="ties">
            ${mine.map((e, i) => html`<li key=${i}>
              <strong>${name(e.from)}</strong> <span class="reltype">${edgeLabel(e)}</span> <strong>${name(e.to)}</strong>
              ${e.kind === 'relationship' && html`<span class="muted"> ${e.valid_from || '…'} – ${e.valid_to || '…'}</span> <${CredibilityBadge} value=${e.credibility} />`}
              ${e.description && html`<div>${e.description}</div>`}
              ${(e.document_ids || []).length > 0 && html`<div class="small muted">documents ${e.document_ids.join(', ')}</div>`}
              ${e.events > 0 && html`<div class="small">${e.events} events: ${(e.event_ids || []).slice(0, 8).map((id) => html` <a href=${href('/events/' + id)}>${id}</a>`)}${(e.event_ids || []).length > 8 ? ' …' : ''}</div>`}
            </li>`)}
          </ul>`}
      </aside>
    </div>`}
  </main>`;
}
