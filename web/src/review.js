// Linkage review: the queue of report pairs the linker was unsure of, to
// merge or keep apart, the history of linkage operations with their undo,
// and on an event page, splitting reports out of the event, merging another
// event into it, or confirming it as it stands. Every decision and undo
// carries a reason and is audited by the server.
import { useState } from 'preact/hooks';
import { get, request } from './api.js';
import { html, useLoad, ErrorBox, Loading, range, href, actorsText, useServed } from './ui.js';

const canDecide = (user) => user.role === 'analyst' || user.role === 'admin';

// decideOnce posts a decision; a merge the server refuses because the
// events' markings differ is sent again, marked as meant, once the person
// has read what it would do and agreed.
async function decideOnce(kind, body, headers) {
  try {
    return await request('POST', '/review/' + kind, { body, headers });
  } catch (ex) {
    if (kind !== 'merge' || ex.status !== 409 || !/markings/.test(ex.message) || !window.confirm(ex.message + '\n\nMerge anyway?')) throw ex;
    return request('POST', '/review/' + kind, { body: { ...body, across_markings: true }, headers });
  }
}

function EventBrief({ id }) {
  const { data: e, error } = useLoad(() => get('/events/' + id), [id]);
  if (error) return html`<div class="muted">event ${id}: ${error.message}</div>`;
  if (!e) return html`<div class="muted">event ${id}…</div>`;
  return html`<div class="brief">
    <a href=${href('/events/' + e.id)}>Event ${e.id}</a>: ${e.date_start}, ${e.place || e.country}
    <div class="small">${[e.sub_event_type || e.event_type, 'killed ' + range(e.killed), actorsText(e.actors)].filter(Boolean).join('; ')}</div>
    <div class="small muted">${(e.sources || []).map((s) => s.name).join(', ')} · ${(e.report_ids || []).length} reports</div>
  </div>`;
}

function Decision({ label, onDecide, disabled, danger }) {
  const [reason, setReason] = useState('');
  const submit = async (ev) => {
    ev.preventDefault();
    if (await onDecide(reason)) setReason('');
  };
  return html`<form class="decision" onSubmit=${submit}>
    <input aria-label=${label + ': reason'} placeholder="reason" value=${reason} onInput=${(ev) => setReason(ev.currentTarget.value)} required />
    <button type="submit" class=${danger ? 'secondary' : ''} disabled=${disabled}>${label}</button>
  </form>`;
}

function Item({ it, user, onDone }) {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const decide = (kind) => async (reason) => {
    setBusy(true);
    setErr(null);
    try {
      await decideOnce(kind, { item: it.id, reason });
      onDone();
      return true;
    } catch (ex) {
      setErr(ex);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return html`<li class="reviewitem" data-item=${it.id}>
    <div class="pair">
      <${EventBrief} id=${it.event_a} />
      <div class="score"><strong>${it.score.toFixed(2)}</strong><div class="small muted">score</div></div>
      <${EventBrief} id=${it.event_b} />
    </div>
    <ul class="small">${(it.explanation || []).map((x) => html`<li>${x}</li>`)}</ul>
    ${it.event_a === it.event_b ? html`<p class="muted small">Both reports are in one event now.</p>` : canDecide(user) && html`<div class="decisions">
      <${Decision} label="Merge: one incident" onDecide=${decide('merge')} disabled=${busy} />
      <${Decision} label="Keep apart" onDecide=${decide('reject')} disabled=${busy} danger=${true} />
    </div>`}
    <${ErrorBox} error=${err} />
  </li>`;
}

// opKinds names the kinds of linkage operation as a person reads them.
const opKinds = { link: 'linkage run', merge: 'merge', split: 'split', confirm: 'confirm', reject: 'keep apart', undo: 'undo' };

/** canUndo says whether user may undo op: a person's decision for an analyst, a linkage run or an undo only for an admin. */
export function canUndo(user, op) {
  if (!canDecide(user) || op.undone_by) return false;
  return (op.kind !== 'link' && op.kind !== 'undo') || user.role === 'admin';
}

const eventLinks = (ids) => (ids || []).map((id, i) => html`${i ? ', ' : ''}<a href=${href('/events/' + id)}>${id}</a>`);

function UndoError({ error }) {
  if (!error) return null;
  if (error.status === 409) {
    return html`<div class="error" role="alert">Not undone: undone already, or later operations moved the same reports (${error.message}).</div>`;
  }
  return html`<${ErrorBox} error=${error} />`;
}

function Op({ op, user, onUndone }) {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const undo = async (reason) => {
    setBusy(true);
    setErr(null);
    try {
      await request('POST', '/review/undo', { body: { op: op.id, reason } });
      onUndone();
      return true;
    } catch (ex) {
      setErr(ex);
      // Undone already, or built on since: show the history as it stands.
      if (ex.status === 409) onUndone();
      return false;
    } finally {
      setBusy(false);
    }
  };
  return html`<tr data-op=${op.id} data-kind=${op.kind} data-undone-by=${op.undone_by || undefined}>
    <td class="nowrap">${(op.at || '').slice(0, 16).replace('T', ' ')}</td>
    <td class="nowrap"><strong>${opKinds[op.kind] || op.kind}</strong> <span class="muted">#${op.id}</span>
      ${op.undoes ? html`<div class="small">undoes #${op.undoes}</div>` : ''}
      ${op.undone_by ? html`<div class="small undone">undone by #${op.undone_by}</div>` : ''}</td>
    <td>${op.by}</td>
    <td class="reason">${op.reason}</td>
    <td class="small events">${eventLinks(op.events)}${(op.made || []).length > 0 && html`<div>made ${eventLinks(op.made)}</div>`}
      ${(op.reports || []).length > 0 && html`<div class="muted">reports ${op.reports.join(', ')}</div>`}</td>
    <td class="num">${op.moves}</td>
    ${canDecide(user) && html`<td class="undo">${canUndo(user, op) && html`<${Decision} label="Undo" onDecide=${undo} disabled=${busy} danger=${true} />`}
      <${UndoError} error=${err} /></td>`}
  </tr>`;
}

/** History lists the linkage operations the reader may see, newest first, with an undo for those the user may reverse. */
function History({ user, version, onUndone }) {
  const per = 50;
  const [limit, setLimit] = useState(per);
  const { data, error, loading } = useLoad(() => get('/review/history', { limit }), [limit, version]);
  const ops = data || [];
  const missing = error && (error.status === 404 || error.status === 501);
  return html`<section class="history" aria-label="History">
    <h2>History</h2>
    <p class="muted">The linkage runs and decisions you may see whole, newest first.${canDecide(user) ? ' Undo one with a reason; an operation that later ones built on cannot be undone.' : ''}</p>
    ${missing ? html`<p class="muted">This server keeps no linkage history.</p>` : html`<${ErrorBox} error=${error} />`}
    ${loading && !data ? html`<${Loading} what="the history" />` : !missing && html`
      ${ops.length ? html`<table class="table history">
        <thead><tr><th>When</th><th>Operation</th><th>By</th><th>Reason</th><th>Events</th><th title="reports moved between events">Moves</th>${canDecide(user) && html`<th>Undo</th>`}</tr></thead>
        <tbody>${ops.map((op) => html`<${Op} key=${op.id} op=${op} user=${user} onUndone=${onUndone} />`)}</tbody>
      </table>` : !error && html`<p class="muted">No operations yet.</p>`}
      ${ops.length >= limit && limit < 1000 && html`<button type="button" class="secondary" onClick=${() => setLimit(Math.min(1000, limit + per))}>Show more</button>`}`}
  </section>`;
}

export function ReviewPage({ user }) {
  const [page, setPage] = useState(0);
  // version moves on with every decision and undo: the queue and the
  // history are read again.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const served = useServed('/review');
  const { data, error, loading } = useLoad(() => (served ? get('/review') : null), [served, version]);
  if (served === undefined) return html`<main class="page"><h1>Review</h1><${Loading} /></main>`;
  if (!served) return html`<main class="page"><h1>Review queue</h1><p class="muted">This server does not serve the review queue.</p></main>`;
  const items = data || [];
  const per = 10;
  const shown = items.slice(page * per, page * per + per);
  return html`<main class="page">
    <h1>Review queue <span class="muted">${items.length}</span></h1>
    <p class="muted">Pairs of reports the linker was unsure of. Merge them when they tell one incident; keep them apart when they do not.</p>
    <${ErrorBox} error=${error} />
    ${loading && !data ? html`<${Loading} />` : html`
      <div class="pager">
        <button type="button" disabled=${page === 0} onClick=${() => setPage(page - 1)}>◀ Previous</button>
        <span>${items.length ? `${page * per + 1}–${Math.min(items.length, page * per + per)} of ${items.length}` : 'Nothing to review.'}</span>
        <button type="button" disabled=${(page + 1) * per >= items.length} onClick=${() => setPage(page + 1)}>Next ▶</button>
      </div>
      <ol class="review">${shown.map((it) => html`<${Item} key=${it.id} it=${it} user=${user} onDone=${changed} />`)}</ol>`}
    <${History} user=${user} version=${version} onUndone=${changed} />
  </main>`;
}

/** EventReview splits, merges or confirms one event, from its page. */
export function EventReview({ event, etag, user, onChange }) {
  const [picked, setPicked] = useState([]);
  const [other, setOther] = useState('');
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!canDecide(user)) return null;
  const run = (kind, body, conditional) => async (reason) => {
    setBusy(true);
    setErr(null);
    setDone(null);
    try {
      const op = await decideOnce(kind, { ...body, reason }, conditional && etag ? { 'If-Match': etag } : {});
      setDone({ kind, op });
      setPicked([]);
      onChange();
      return true;
    } catch (ex) {
      setErr(ex);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const reports = event.reports || [];
  const toggle = (id) => setPicked(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  return html`<section class="eventreview" aria-label="Merge and split">
    <h2>Merge, split, confirm</h2>
    <div class="cols">
      <div class="split">
        <h3>Split</h3>
        <p class="small muted">Take the reports that tell another incident out into a new event.</p>
        <ul class="plain">${reports.map((sr) => html`<li><label><input type="checkbox" data-report=${sr.report.id} checked=${picked.includes(sr.report.id)} onChange=${() => toggle(sr.report.id)} />
          report ${sr.report.id}: ${sr.source ? sr.source.name : ''}, ${sr.report.date_start}, ${sr.report.place}</label></li>`)}</ul>
        <${Decision} label="Split them out" disabled=${busy || !picked.length || picked.length === reports.length} onDecide=${run('split', { event: event.id, reports: picked }, true)} />
      </div>
      <div class="merge">
        <h3>Merge</h3>
        <p class="small muted">Another event that tells the same incident joins this one.</p>
        <label>Event id <input value=${other} onInput=${(ev) => setOther(ev.currentTarget.value.replace(/\D/g, ''))} size="8" inputmode="numeric" /></label>
        <${Decision} label="Merge into this event" disabled=${busy || !other || Number(other) === event.id} onDecide=${run('merge', { events: [event.id, Number(other)] })} />
      </div>
      <div class="confirm">
        <h3>Confirm</h3>
        <p class="small muted">Lock the event as it stands: linkage will not change it.</p>
        <${Decision} label="Confirm" disabled=${busy} onDecide=${run('confirm', { event: event.id }, true)} />
      </div>
    </div>
    ${done && html`<p class="notice" role="status">${done.kind} recorded${done.op && done.op.id ? ` (operation ${done.op.id}, ${done.op.moves} report${done.op.moves === 1 ? '' : 's'} moved)` : ''}.
      ${((done.op && done.op.made) || []).map((id) => html` <a href=${href('/events/' + id)}>New event ${id}</a>`)}</p>`}
    <${ErrorBox} error=${err} />
  </section>`;
}

