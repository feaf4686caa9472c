// Administration, for admins: the users with their roles and clearances
// (each change sent under If-Match, so that two admins cannot silently
// overwrite each other; a new user's password is shown once), and the
// audit log with the check of its hash chain.
import { useState } from 'preact/hooks';
import { get, request } from './api.js';
import { html, useLoad, ErrorBox, Loading } from './ui.js';

const roles = ['viewer', 'analyst', 'admin'];
const clearances = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

function UserRow({ u, self, onChange }) {
  const [f, setF] = useState({ role: u.role, clearance: u.clearance, disabled: u.disabled });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const dirty = f.role !== u.role || f.clearance !== u.clearance || f.disabled !== u.disabled;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      // The ETag of the user as the list showed them: if another admin
      // changed them since, the server's copy differs and the save is
      // refused rather than made over their change.
      const cur = await get('/users/' + u.id, null, { full: true });
      const c = cur.data;
      if (c.role !== u.role || c.clearance !== u.clearance || c.disabled !== u.disabled) {
        onChange(`${u.name} was changed by someone else meanwhile; here they are as they stand now.`);
        return;
      }
      await request('PATCH', '/users/' + u.id, { body: f, headers: { 'If-Match': cur.etag } });
      onChange(`${u.name} saved.`);
    } catch (err) {
      if (err.status === 412) onChange(`${u.name} was changed by someone else meanwhile; here they are as they stand now.`);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<tr data-user=${u.id}>
    <td>${u.name}${self ? html` <span class="muted">(you)</span>` : ''}</td>
    <td><select aria-label=${'role of ' + u.name} value=${f.role} disabled=${self} onChange=${(e) => setF({ ...f, role: e.currentTarget.value })}>
      ${roles.map((r) => html`<option value=${r}>${r}</option>`)}</select></td>
    <td><select aria-label=${'clearance of ' + u.name} value=${f.clearance} onChange=${(e) => setF({ ...f, clearance: e.currentTarget.value })}>
      ${clearances.map((c) => html`<option value=${c}>TLP:${c}</option>`)}</select></td>
    <td><label class="inline"><input type="checkbox" aria-label=${'disable ' + u.name} checked=${f.disabled} disabled=${self}
      onChange=${(e) => setF({ ...f, disabled: e.currentTarget.checked })} /> disabled</label></td>
    <td><button type="button" disabled=${!dirty || busy} onClick=${save}>Save</button><${ErrorBox} error=${error} /></td>
  </tr>`;
}

function NewUser({ onMade }) {
  const [f, setF] = useState({ name: '', role: 'viewer', clearance: 'GREEN' });
  const [made, setMade] = useState(null);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await request('POST', '/users', { body: { ...f, name: f.name.trim() } });
      setMade(res);
      setF({ ...f, name: '' });
      onMade();
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="account-form inline" id="new-user" onSubmit=${submit} aria-label="New user">
    <label>Name <input id="new-user-name" value=${f.name} onInput=${(e) => setF({ ...f, name: e.currentTarget.value })} required /></label>
    <label>Role <select id="new-user-role" value=${f.role} onChange=${(e) => setF({ ...f, role: e.currentTarget.value })}>
      ${roles.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
    <label>Clearance <select id="new-user-clearance" value=${f.clearance} onChange=${(e) => setF({ ...f, clearance: e.currentTarget.value })}>
      ${clearances.map((c) => html`<option value=${c}>TLP:${c}</option>`)}</select></label>
    <button type="submit">Add user</button>
    <${ErrorBox} error=${error} />
    ${made && html`<p class="notice" role="status" id="new-user-password">${made.user.name}'s password: <code>${made.password}</code> — give it to them now; it is not shown again, and they can change it on their account page.</p>`}
  </form>`;
}

function Audit() {
  const [after, setAfter] = useState(0);
  const limit = 100;
  const log = useLoad(() => get('/audit', { after, limit }), [after]);
  const check = useLoad(() => get('/audit/verify'), []);
  const entries = log.data || [];
  return html`<section aria-label="Audit log">
    <h2>Audit log</h2>
    ${check.data && html`<p class=${check.data.ok ? 'notice' : 'error'} id="audit-verify">${check.data.ok ? `The hash chain of all ${check.data.entries} entries holds.` : `The chain is broken: ${check.data.error}`}</p>`}
    <${ErrorBox} error=${log.error || check.error} />
    <div class="pager">
      <button type="button" disabled=${after === 0} onClick=${() => setAfter(Math.max(0, after - limit))}>◀ Earlier</button>
      <button type="button" disabled=${entries.length < limit} onClick=${() => setAfter(entries[entries.length - 1].seq)}>Later ▶</button>
    </div>
    ${log.loading && !log.data ? html`<${Loading} />` : html`<table class="table audit">
      <thead><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Object</th><th>Before → after</th></tr></thead>
      <tbody>${entries.map((e) => html`<tr key=${e.seq} data-seq=${e.seq}>
        <td class="num">${e.seq}</td><td class="nowrap">${(e.at || '').slice(0, 19).replace('T', ' ')}</td>
        <td>${e.actor}</td><td>${e.action}</td><td>${e.object}</td>
        <td class="small">${e.before ? html`<details><summary>before</summary><pre>${JSON.stringify(e.before, null, 1)}</pre></details>` : ''}
          ${e.after ? html`<details><summary>after</summary><pre>${JSON.stringify(e.after, null, 1)}</pre></details>` : ''}</td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

export function AdminPage({ user }) {
  const users = useLoad(() => (user.role === 'admin' ? get('/users') : null), []);
  const [notice, setNotice] = useState('');
  if (user.role !== 'admin') return html`<main class="page"><h1>Users and audit</h1><p class="muted">Only admins manage users and read the audit log.</p></main>`;
  const changed = (msg) => {
    setNotice(msg);
    users.reload();
  };
  return html`<main class="page adminpage">
    <h1>Users and audit</h1>
    <h2>Users</h2>
    ${notice && html`<p class="notice" role="status" id="users-notice">${notice}</p>`}
    <${ErrorBox} error=${users.error} />
    ${users.loading && !users.data ? html`<${Loading} />` : html`<table class="table users">
      <thead><tr><th>Name</th><th>Role</th><th>Clearance</th><th>Access</th><th></th></tr></thead>
      <tbody>${(users.data || []).map((u) => html`<${UserRow} key=${u.id + ':' + u.updated_at} u=${u} self=${u.id === user.id} onChange=${changed} />`)}</tbody>
    </table>`}
    <${NewUser} onMade=${() => users.reload()} />
    <${Audit} />
  </main>`;
}
