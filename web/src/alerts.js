// Alerts: what the standing watch rules raised (a new country or province,
// tempo above its baseline, contradictions, a change in the ACH ranking),
// newest first, each with its details and webhook delivery.
import { get } from './api.js';
import { html, useLoad, ErrorBox, Loading, useServed, href } from './ui.js';

function Detail({ k, v }) {
  if (k === 'event_id' || k === 'event') return html`<a href=${href('/events/' + v)}>event ${v}</a>`;
  if (k === 'case' && typeof v === 'string') return html`<a href=${href('/ach/' + v)}>case ${v}</a>`;
  return html`<span>${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}</span>`;
}

export function AlertsPage() {
  const ok = useServed('/alerts');
  const { data, error, loading } = useLoad(() => (ok ? get('/alerts', { limit: 200 }) : null), [ok]);
  if (ok === undefined || (ok && loading && !data)) return html`<main class="page"><h1>Alerts</h1><${Loading} /></main>`;
  if (!ok) return html`<main class="page"><h1>Alerts</h1><p class="muted">This server keeps no alerts.</p></main>`;
  const alerts = data || [];
  return html`<main class="page">
    <h1>Alerts <span class="muted">${alerts.length}</span></h1>
    <p class="muted">Raised by the watch rules (vigil watch) on what you may see, newest first.</p>
    <${ErrorBox} error=${error} />
    ${alerts.length > 0 && html`<table class="table alerts">
      <thead><tr><th>Raised</th><th>Rule</th><th>Kind</th><th>What</th><th>Details</th><th>Webhook</th></tr></thead>
      <tbody>${alerts.map((a) => html`<tr key=${a.id} data-alert=${a.id}>
        <td class="nowrap">${(a.raised_at || '').slice(0, 16).replace('T', ' ')}</td>
        <td>${a.rule}</td><td>${a.kind}</td><td>${a.message}</td>
        <td class="small">${Object.entries(a.details || {}).map(([k, v]) => html`<div><${Detail} k=${k} v=${v} /></div>`)}</td>
        <td class="small">${a.delivered ? 'delivered' : a.attempts ? `not delivered (${a.attempts} tries)` : '–'}${a.last_error ? html`<div class="bad">${a.last_error}</div>` : ''}</td>
      </tr>`)}</tbody>
    </table>`}
    ${!alerts.length && html`<p class="muted">No alerts.</p>`}
  </main>`;
}
