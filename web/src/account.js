// Your account: who you are, your password (which whoever made the account
// was shown once, so change it), and your API tokens for scripts (each
// secret shown once; revoke what you no longer use).
import { useState } from 'preact/hooks';
import { get, request, changePassword } from './api.js';
import { html, useLoad, ErrorBox, Loading } from './ui.js';

function PasswordForm() {
  const [f, setF] = useState({ current: '', password: '', again: '' });
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (f.password !== f.again) {
      setError(new Error('The new password and its repetition differ.'));
      return;
    }
    setBusy(true);
    try {
      await changePassword(f.current, f.password);
      setF({ current: '', password: '', again: '' });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="account-form" id="password-form" onSubmit=${submit} aria-label="Change your password">
    <h2>Password</h2>
    <label>Current password <input type="password" id="password-current" autocomplete="current-password" value=${f.current} onInput=${set('current')} required /></label>
    <label>New password (at least 12 characters) <input type="password" id="password-new" autocomplete="new-password" minlength="12" value=${f.password} onInput=${set('password')} required /></label>
    <label>New password again <input type="password" id="password-again" autocomplete="new-password" minlength="12" value=${f.again} onInput=${set('again')} required /></label>
    <${ErrorBox} error=${error} />
    ${done && html`<p class="notice" role="status">Password changed. Your other sessions have ended.</p>`}
    <button type="submit" disabled=${busy}>Change password</button>
  </form>`;
}

function Tokens() {
  const tokens = useLoad(() => get('/tokens'), []);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('720h');
  const [made, setMade] = useState(null);
  const [error, setError] = useState(null);
  const create = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await request('POST', '/tokens', { body: { name: name.trim(), ...(expires ? { expires_in: expires } : {}) } });
      setMade(res);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (t) => {
    setError(null);
    try {
      await request('DELETE', '/tokens/' + encodeURIComponent(t.id));
      if (made && made.token.id === t.id) setMade(null);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  const list = tokens.data || [];
  return html`<section aria-label="API tokens">
    <h2>API tokens</h2>
    <p class="muted small">For scripts: <code>Authorization: Bearer vgl_…</code>. A token reads and writes as you, with your role and clearance.</p>
    <form class="account-form inline" onSubmit=${create} aria-label="New API token">
      <label>Name <input id="token-name" value=${name} onInput=${(e) => setName(e.currentTarget.value)} placeholder="etl" required /></label>
      <label>Expires <select id="token-expires" value=${expires} onChange=${(e) => setExpires(e.currentTarget.value)}>
        <option value="24h">in a day</option>
        <option value="720h">in 30 days</option>
        <option value="2160h">in 90 days</option>
        <option value="">never</option>
      </select></label>
      <button type="submit">New token</button>
    </form>
    ${made && html`<div class="notice" role="status" id="token-secret">Token ${made.token.name}: <code>${made.secret}</code> — copy it now; it is not shown again.</div>`}
    <${ErrorBox} error=${error || tokens.error} />
    ${tokens.loading && !tokens.data ? html`<${Loading} />` : list.length === 0 ? html`<p class="muted">No tokens.</p>` : html`<table class="table tokens">
      <thead><tr><th>Name</th><th>Made</th><th>Expires</th><th></th></tr></thead>
      <tbody>${list.map((t) => html`<tr key=${t.id} data-token=${t.id}>
        <td>${t.name}</td>
        <td class="nowrap">${(t.created_at || '').slice(0, 16).replace('T', ' ')}</td>
        <td class="nowrap">${t.expires_at ? t.expires_at.slice(0, 16).replace('T', ' ') : 'never'}</td>
        <td><button type="button" class="secondary" onClick=${() => revoke(t)} aria-label=${'Revoke token ' + t.name}>Revoke</button></td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

export function AccountPage({ user }) {
  return html`<main class="page account">
    <h1>Your account</h1>
    <p><strong>${user.name}</strong> · ${user.role} · cleared for TLP:${user.clearance}</p>
    <${PasswordForm} />
    <${Tokens} />
  </main>`;
}
