// The ACH matrix: evidence down, hypotheses across; rate a cell (under
// If-Match with the case's ETag, so two analysts cannot overwrite each
// other), and see the inconsistency scores, the ranking and each item's
// diagnosticity change.
import { useState } from 'preact/hooks';
import { get, request } from './api.js';
import { html, useLoad, ErrorBox, Loading, Reliability, CredibilityBadge, useServed } from './ui.js';

const ratings = ['CC', 'C', 'N', 'I', 'II', 'NA'];
const ratingText = {
  CC: 'very consistent', C: 'consistent', N: 'neutral', I: 'inconsistent', II: 'very inconsistent', NA: 'not applicable',
};

function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function CaseList() {
  const { data, error, loading } = useLoad(() => get('/ach'), []);
  return html`<main class="page">
    <h1>Analysis of Competing Hypotheses</h1>
    <${ErrorBox} error=${error} />
    ${loading ? html`<${Loading} />` : html`<ul class="cases">
      ${(data || []).map((c) => html`<li key=${c.id}><a href=${'#/ach/' + encodeURIComponent(c.id)}>${c.title}</a>
        ${c.question && html`<div class="muted">${c.question}</div>`}</li>`)}
    </ul>`}
    ${data && !data.length && html`<p class="muted">No cases yet: vigil ach import FILE.</p>`}
  </main>`;
}

function Cell({ cell, e, h, user, canRate, onRate, busy }) {
  const mine = (cell && cell.analysts && cell.analysts[user.name]) || '';
  const rating = (cell && cell.rating) || '';
  const label = `${e.id} under ${h.id}: ${rating ? ratingText[rating] : 'unrated'}${cell && cell.basis ? ' (' + cell.basis + ')' : ''}`;
  const title = [label, cell && cell.rationale, cell && cell.analysts && Object.entries(cell.analysts).map(([a, r]) => `${a}: ${r}`).join(', ')]
    .filter(Boolean).join('\n');
  return html`<td class=${'cell r-' + (rating || 'none') + (cell && cell.disputed ? ' disputed' : '')} title=${title} data-cell=${e.id + '/' + h.id} data-rating=${rating}>
    ${canRate ? html`<select aria-label=${'Rate ' + label} value=${rating} disabled=${busy} onChange=${(ev) => onRate(e.id, h.id, ev.currentTarget.value)}>
      ${!rating && html`<option value="">–</option>`}
      ${ratings.map((r) => html`<option value=${r}>${r}</option>`)}
    </select>` : html`<span>${rating || '–'}</span>`}
    ${cell && cell.basis && cell.basis !== 'agreed' && cell.basis !== 'unrated' && html`<span class="basis">${cell.basis}</span>`}
    ${mine && mine !== rating && html`<span class="basis">you: ${mine}</span>`}
  </td>`;
}

function Matrix({ id, user }) {
  const { data, error, loading, reload } = useLoad(() => get('/ach/' + encodeURIComponent(id), null, { full: true }), [id]);
  const [view, setView] = useState(null); // the answer of the last rating
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const [consensus, setConsensus] = useState(true);
  if (loading && !data) return html`<main class="page"><${Loading} what="the case" /></main>`;
  if (error) return html`<main class="page"><h1>ACH</h1><${ErrorBox} error=${error} /></main>`;
  const cur = view && view.from === data ? view : { c: data.data, etag: data.etag, from: data };
  const c = cur.c;
  const canRate = user.role === 'analyst' || user.role === 'admin';
  const cells = {};
  for (const row of c.matrix || []) for (const cell of row || []) cells[cell.evidence + '/' + cell.hypothesis] = cell;
  const rate = async (e, h, rating) => {
    if (!rating) return;
    setBusy(true);
    setErr(null);
    try {
      const res = await request('PUT', `/ach/${encodeURIComponent(id)}/ratings/${encodeURIComponent(e)}/${encodeURIComponent(h)}`, {
        body: { rating, rationale: '', consensus }, headers: { 'If-Match': cur.etag }, full: true,
      });
      setView({ c: res.data, etag: res.etag, from: data });
    } catch (ex) {
      setErr(ex);
      if (ex.status === 412) reload();
    } finally {
      setBusy(false);
    }
  };
  const byRank = [...c.hypotheses].sort((a, b) => a.rank - b.rank);
  const maxInc = Math.max(1, ...c.hypotheses.map((h) => h.weighted_inconsistency));
  const sens = Object.fromEntries((c.sensitivity || []).map((s) => [s.evidence, s]));
  return html`<main class="page achpage">
    <p class="crumbs"><a href="#/ach">ACH</a> › ${c.id}</p>
    <h1>${c.title}</h1>
    ${c.question && html`<p>${c.question}</p>`}
    <section class="ranking" aria-label="Ranking">
      <h2>Ranking <span class="muted small">(least inconsistent first)</span></h2>
      <ol>
        ${byRank.map((h) => html`<li key=${h.id} data-hypothesis=${h.id}>
          <span class="rank">${h.rank}</span> <strong>${h.id}</strong> ${h.title}
          <svg class="incbar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect x="0" y="0" width=${(h.weighted_inconsistency / maxInc) * 100} height="8" /></svg>
          <span class="muted">inconsistency <span class="score" id=${'score-' + h.id}>${fmt(h.weighted_inconsistency)}</span> weighted, ${fmt(h.inconsistency)} raw; ${h.consistent} consistent, ${h.inconsistent} inconsistent items</span>
        </li>`)}
      </ol>
    </section>
    ${canRate && html`<fieldset class="rateas">
      <legend>Rate cells as</legend>
      <label><input type="radio" name="rateas" checked=${consensus} onChange=${() => setConsensus(true)} /> the team's consensus (counts over the analysts' own)</label>
      <label><input type="radio" name="rateas" checked=${!consensus} onChange=${() => setConsensus(false)} /> my own view (${user.name}), one analyst among others</label>
    </fieldset>`}
    <${ErrorBox} error=${err} />
    <div class="matrixwrap">
      <table class="table matrix" aria-label="ACH matrix">
        <thead><tr>
          <th>Evidence</th><th title="source reliability">Src.</th><th title="credibility of the information">Cred.</th>
          ${c.hypotheses.map((h) => html`<th key=${h.id} class="hyp" title=${h.title + (h.description ? '\n' + h.description : '')}>${h.id}<div class="small muted">${h.title}</div></th>`)}
          <th title="how far the item's ratings differ across hypotheses, weighted">Diagnosticity</th>
        </tr></thead>
        <tbody>
          ${c.evidence.map((e) => html`<tr key=${e.id} class=${e.diagnostic ? '' : 'nondiag'}>
            <th scope="row"><span class="eid">${e.id}</span> ${e.title}
              <div class="small muted">${e.kind}${e.source ? ' · ' + e.source : ''}${e.note ? ' · ' + e.note : ''}
                ${sens[e.id] && sens[e.id].drop_top_changes ? html` · <span class="bad">the top hypothesis changes without it</span>` : ''}</div></th>
            <td><${Reliability} grade=${e.reliability} /></td>
            <td><${CredibilityBadge} value=${e.credibility} /></td>
            ${c.hypotheses.map((h) => html`<${Cell} key=${h.id} cell=${cells[e.id + '/' + h.id]} e=${e} h=${h} user=${user} canRate=${canRate} onRate=${rate} busy=${busy} />`)}
            <td class="diag" data-diagnosticity=${e.diagnosticity}>${e.diagnostic ? fmt(e.diagnosticity) : html`<span class="muted" title="rated alike under every hypothesis: it proves nothing">none</span>`}</td>
          </tr>`)}
        </tbody>
        <tfoot><tr>
          <th colspan="3">Weighted inconsistency</th>
          ${c.hypotheses.map((h) => html`<td key=${h.id} class="total" data-score=${h.id}>${fmt(h.weighted_inconsistency)}</td>`)}
          <td></td>
        </tr></tfoot>
      </table>
    </div>
    ${(c.warnings || []).length > 0 && html`<section aria-label="Warnings"><h2>Warnings</h2><ul>
      ${c.warnings.map((w) => html`<li><strong>${w.kind}</strong>: ${w.message}</li>`)}</ul></section>`}
    ${(c.readings || []).length > 0 && html`<section aria-label="Indicator readings"><h2>Indicator items, read from the events you may see</h2><ul>
      ${c.readings.map((r) => html`<li><strong>${r.evidence}</strong> ${r.condition}: ${fmt(r.value)} (${r.met ? 'met' : 'not met'}; ${r.events} events${r.from ? ', ' + r.from + ' – ' + r.to : ''})</li>`)}</ul></section>`}
    <p class="small muted">Ratings: CC very consistent, C consistent, N neutral, I inconsistent, II very inconsistent, NA not applicable. Hover a cell for its rationale and each analyst's rating.</p>
  </main>`;
}

export function ACHPage({ id, user }) {
  const ok = useServed('/ach');
  if (ok === undefined) return html`<main class="page"><h1>ACH</h1><${Loading} /></main>`;
  if (!ok) {
    return html`<main class="page"><h1>Analysis of Competing Hypotheses</h1><p class="muted">This server does not serve ACH cases.</p></main>`;
  }
  return id ? html`<${Matrix} id=${id} user=${user} />` : html`<${CaseList} />`;
}
