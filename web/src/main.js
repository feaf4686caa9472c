// vigil's web UI: one page that routes by the URL's hash and talks only to
// the REST API under /api/v1.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, parseHash, href, Loading, ErrorBox } from './ui.js';
import { currentSession, signIn, signOut, onSignedOut } from './api.js';
import { MapPage } from './map.js';
import { TimelinePage } from './timeline.js';
import { EventPage, EventsPage } from './event.js';
import { ACHPage } from './ach.js';
import { GraphPage } from './graph.js';
import { ReviewPage } from './review.js';
import { ImportsPage } from './imports.js';
import { AlertsPage } from './alerts.js';
import { AccountPage } from './account.js';
import { SourcesPage } from './sources.js';
import { IndicatorsPage } from './indicators.js';
import { AdminPage } from './admin.js';
import './style.css';

const pages = [
  { path: '/map', label: 'Map', key: 'm' },
  { path: '/timeline', label: 'Timeline', key: 't' },
  { path: '/events', label: 'Events', key: 'e' },
  { path: '/indicators', label: 'Indicators', key: 'n' },
  { path: '/ach', label: 'ACH', key: 'a' },
  { path: '/sources', label: 'Sources', key: 's' },
  { path: '/actors', label: 'Actor graph', key: 'g' },
  { path: '/review', label: 'Review', key: 'r' },
  { path: '/alerts', label: 'Alerts', key: 'l' },
  { path: '/imports', label: 'Imports', key: 'i' },
  { path: '/admin', label: 'Users and audit', key: 'u', admin: true },
];

function useRoute() {
  const [route, setRoute] = useState(parseHash());
  useEffect(() => {
    const on = () => setRoute(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function Login({ onSignedIn, notice }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(name, password);
      // The cookie is sent Secure: a browser on plain HTTP other than
      // localhost drops it, and the next request would not be signed in.
      if (!(await currentSession())) {
        throw new Error('Signed in, but the browser did not keep the session cookie: it is sent Secure, which needs HTTPS, localhost or 127.0.0.1. On plain HTTP elsewhere, serve with --insecure-cookies.');
      }
      onSignedIn(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="login">
    <form onSubmit=${submit} aria-label="Sign in">
      <h1>vigil</h1>
      <p class="muted">An evidence-graded monitor of violent non-state armed groups.</p>
      ${notice && html`<p class="notice">${notice}</p>`}
      <label>Name <input id="login-name" name="name" autocomplete="username" value=${name} onInput=${(e) => setName(e.currentTarget.value)} autofocus required /></label>
      <label>Password <input id="login-password" name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} required /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" id="login-submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
      <p class="muted small">vigil serve --demo prints a first login.</p>
    </form>
  </main>`;
}

function Page({ route, user }) {
  const { path, params } = route;
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'map':
      return html`<${MapPage} params=${params} />`;
    case 'timeline':
      return html`<${TimelinePage} params=${params} />`;
    case 'events':
      return parts[1] ? html`<${EventPage} id=${parts[1]} user=${user} />` : html`<${EventsPage} params=${params} />`;
    case 'ach':
      return html`<${ACHPage} id=${parts[1]} user=${user} />`;
    case 'indicators':
      return html`<${IndicatorsPage} params=${params} />`;
    case 'sources':
      return html`<${SourcesPage} id=${parts[1]} user=${user} />`;
    case 'actors':
      return html`<${GraphPage} params=${params} />`;
    case 'review':
      return html`<${ReviewPage} user=${user} />`;
    case 'alerts':
      return html`<${AlertsPage} />`;
    case 'imports':
      return html`<${ImportsPage} user=${user} />`;
    case 'admin':
      return html`<${AdminPage} user=${user} />`;
    case 'account':
      return html`<${AccountPage} user=${user} />`;
    default:
      return html`<main class="page"><h1>Not found</h1><p><a href="#/map">Go to the map</a></p></main>`;
  }
}

// skipToMain moves the focus to the page's content. The link's own
// #main would be taken for a route (the UI routes by the hash) and lead to
// a page that does not exist.
function skipToMain(e) {
  e.preventDefault();
  const main = document.getElementById('main');
  if (main) {
    main.focus();
    main.scrollIntoView();
  }
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState(undefined); // undefined: asking; null: signed out
  const [notice, setNotice] = useState('');
  const [error, setError] = useState(null);
  useEffect(() => {
    currentSession().then(setSession, (err) => {
      setError(err);
      setSession(null);
    });
    return onSignedOut(() => {
      setNotice('Your session has ended; sign in again.');
      setSession(null);
    });
  }, []);
  useEffect(() => {
    // Alt+letter moves between pages from anywhere.
    const on = (e) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const p = pages.find((p) => p.key === e.key);
      if (p) {
        e.preventDefault();
        location.hash = '#' + p.path;
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
  // The document's title names the page, and moving to another page moves
  // the focus to its content, as following a link does (a hash route does
  // neither by itself): screen readers announce it, Tab goes on from there.
  const page = '/' + (route.path.split('/').filter(Boolean)[0] || 'map');
  const signedIn = !!session;
  const shown = useRef(null);
  useEffect(() => {
    const p = pages.find((x) => x.path === page);
    const label = p ? p.label : page === '/account' ? 'Your account' : 'Not found';
    document.title = signedIn ? label + ' · vigil' : 'Sign in · vigil';
    if (!signedIn) return;
    if (shown.current !== null && shown.current !== page) {
      const main = document.getElementById('main');
      if (main) main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    shown.current = page;
  }, [page, signedIn]);
  if (session === undefined) return html`<main class="page"><${Loading} /><${ErrorBox} error=${error} /></main>`;
  if (!session) {
    return html`<${Login} notice=${notice} onSignedIn=${(s) => { setNotice(''); setSession(s); }} />`;
  }
  const user = session.user;
  const current = page;
  const out = async () => {
    await signOut().catch(() => {});
    setSession(null);
  };
  return html`<div class="shell">
    <a class="skip" href="#main" onClick=${skipToMain}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/map">vigil</a>
      <nav aria-label="Pages">
        ${pages.filter((p) => !p.admin || user.role === 'admin').map((p) => html`<a href=${href(p.path)} aria-current=${current === p.path ? 'page' : undefined} title=${'Alt+' + p.key.toUpperCase()}>${p.label}</a>`)}
      </nav>
      <div class="who">
        <a id="whoami" href="#/account" title="your account: password and API tokens" aria-current=${current === '/account' ? 'page' : undefined}>${user.name}</a> <span class="muted">${user.role}</span>
        <span class=${'tlp tlp-' + (user.clearance || 'CLEAR').split('+')[0]} title="your clearance">TLP:${user.clearance}</span>
        <button type="button" class="secondary" onClick=${out}>Sign out</button>
      </div>
    </header>
    <div id="main" tabindex="-1"><${Page} route=${route} user=${user} /></div>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
