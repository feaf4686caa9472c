// Sources: who speaks, for whom, how reliable, and how much of what the
// reader may see comes from each; a source's page lists its documents, and
// analysts regrade it (sent with If-Match, so that a concurrent change is
// refused and reloaded rather than overwritten).
import { useEffect, useState } from 'preact/hooks';
import { get, request } from './api.js';
import { html, useLoad, ErrorBox, Loading, Reliability, reliabilityText, href } from './ui.js';

export function SourcesPage({ id, user }) {
  return id ? html`<${SourcePage} id=${id} user=${user} />` : html`<${SourceList} />`;
}

function SourceList() {
  const { data, error, loading } = useLoad(() => get('/sources'), []);
  const [order, setOrder] = useState('name');
  const rows = [...(data || [])];
  const by = {
    name: (a, b) => a.source.name.localeCompare(b.source.name),
    reliability: (a, b) => (a.source.reliability || 'Z').localeCompare(b.source.reliability || 'Z') || by.name(a, b),
    documents: (a, b) => b.documents - a.documents || by.name(a, b),
    events: (a, b) => b.events - a.events || by.name(a, b),
  };
  rows.sort(by[order]);
  const head = (k, label) => html`<th><button type="button" class="link" aria-pressed=${order === k} onClick=${() => setOrder(k)}>${label}${order === k ? ' ↓' : ''}</button></th>`;
  return html`<main class="page">
    <h1>Sources <span class="muted">${data ? data.length : ''}</span></h1>
    <p class="muted">Who speaks, for whom, how reliable (Admiralty A–F, G deliberately deceptive), and the documents and events of theirs you may see.</p>
    <${ErrorBox} error=${error} />
    ${loading && !data ? html`<${Loading} />` : html`<table class="table sources">
      <thead><tr>${head('name', 'Source')}<th>Kind</th><th>Speaks for</th>${head('reliability', 'Reliability')}<th>Origin</th>${head('documents', 'Documents')}${head('events', 'Events')}</tr></thead>
      <tbody>${rows.map((st) => html`<tr key=${st.source.id} data-source=${st.source.id}>
        <td><a href=${href('/sources/' + st.source.id)}>${st.source.name}</a></td>
        <td>${st.source.kind}</td><td>${st.source.speaks_for || ''}</td>
        <td><${Reliability} grade=${st.source.reliability} /></td>
        <td>${st.source.origin || ''}</td>
        <td class="num">${st.documents}</td><td class="num">${st.events}</td>
      </tr>`)}</tbody>
    </table>`}
  </main>`;
}

const canGrade = (user) => user.role === 'analyst' || user.role === 'admin';

function Regrade({ source, etag, onSaved }) {
  const [f, setF] = useState({ reliability: source.reliability || 'F', origin: source.origin || '', notes: source.notes || '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setF({ reliability: source.reliability || 'F', origin: source.origin || '', notes: source.notes || '' }), [etag]);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('PATCH', '/sources/' + source.id, { body: f, headers: { 'If-Match': etag } });
      onSaved('saved');
    } catch (err) {
      if (err.status === 412) {
        onSaved('changed');
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="account-form" id="regrade" onSubmit=${submit} aria-label="Regrade the source">
    <h2>Regrade</h2>
    <label>Reliability <select id="regrade-reliability" value=${f.reliability} onChange=${set('reliability')}>
      ${Object.entries(reliabilityText).map(([g, t]) => html`<option value=${g}>${g}: ${t}</option>`)}
    </select></label>
    <label>Origin (sources with one origin count once) <input id="regrade-origin" value=${f.origin} onInput=${set('origin')} maxlength="200" /></label>
    <label>Notes <textarea id="regrade-notes" rows="4" value=${f.notes} onInput=${set('notes')}></textarea></label>
    <${ErrorBox} error=${error} />
    <button type="submit" disabled=${busy}>Save</button>
  </form>`;
}

function SourcePage({ id, user }) {
  const src = useLoad(() => get('/sources/' + encodeURIComponent(id), null, { full: true }), [id]);
  const [offset, setOffset] = useState(0);
  const limit = 50;
  const docs = useLoad(() => get('/documents', { source_id: id, limit, offset }), [id, offset]);
  const [notice, setNotice] = useState('');
  const s = src.data && src.data.data;
  if (src.loading && !s) return html`<main class="page"><${Loading} what="the source" /></main>`;
  if (src.error) return html`<main class="page"><h1>Source ${id}</h1><${ErrorBox} error=${src.error} /><p><a href="#/sources">All sources</a></p></main>`;
  const total = docs.data ? docs.data.total : 0;
  const saved = (what) => {
    setNotice(what === 'saved' ? 'Saved.' : 'Someone changed this source since you opened it: here it is as it stands now; regrade it again if need be.');
    src.reload();
  };
  return html`<main class="page sourcepage">
    <p class="crumbs"><a href="#/sources">Sources</a> › ${s.id}</p>
    <h1>${s.name}</h1>
    <div class="facts">
      <div><span class="muted">Kind</span> ${s.kind}</div>
      <div><span class="muted">Speaks for</span> ${s.speaks_for || '–'}</div>
      <div><span class="muted">Reliability</span> <${Reliability} grade=${s.reliability} /> <span class="muted small">${reliabilityText[s.reliability] || ''}</span></div>
      <div><span class="muted">Origin</span> ${s.origin || '–'}</div>
    </div>
    ${s.notes && html`<p class="notes">${s.notes}</p>`}
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    ${canGrade(user) && html`<${Regrade} source=${s} etag=${src.data.etag} onSaved=${saved} />`}
    <section aria-label="Documents">
      <div class="tablehead">
        <h2>Documents <span class="count">${docs.loading ? '…' : total}</span></h2>
        <div class="pager">
          <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - limit))}>◀ Previous</button>
          <span>${total ? `${offset + 1}–${Math.min(total, offset + limit)} of ${total}` : ''}</span>
          <button type="button" disabled=${offset + limit >= total || offset + limit > 10000} onClick=${() => setOffset(offset + limit)}>Next ▶</button>
        </div>
      </div>
      <${ErrorBox} error=${docs.error} />
      <table class="table">
        <thead><tr><th>Published</th><th>Title</th><th>Marking</th><th>Batch</th></tr></thead>
        <tbody>${((docs.data && docs.data.items) || []).map((d) => html`<tr key=${d.id} data-document=${d.id}>
          <td class="nowrap">${(d.published || '').slice(0, 10)}</td>
          <td>${d.title || d.key}${d.url && html`<div class="small muted">${d.url}</div>`}</td>
          <td>TLP:${d.tlp || 'CLEAR'}</td><td>${d.batch_id || ''}</td>
        </tr>`)}</tbody>
      </table>
    </section>
  </main>`;
}
