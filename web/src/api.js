// The REST API under /api/v1: the session cookie authenticates, and every
// write carries the session's CSRF token in X-CSRF-Token.

let csrf = '';
const listeners = new Set();

/** APIError is a problem+json answer (RFC 9457) or a network failure. */
export class APIError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** onSignedOut calls fn whenever the server says the session has ended. */
export function onSignedOut(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** query turns an object into a query string, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(','));
    } else {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * request calls the API. opts: params (query), body (JSON), raw (a Blob or
 * File sent as is), headers, full (resolve to {data, etag, status}).
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  let body;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch('/api/v1' + path + query(opts.params), {
      method, headers, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (err) {
    throw new APIError(0, { detail: 'the server cannot be reached: ' + err.message });
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && (type.includes('json'))) {
    data = await res.json().catch(() => null);
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') listeners.forEach((fn) => fn());
    throw new APIError(res.status, data);
  }
  if (opts.full) return { data, etag: res.headers.get('ETag'), status: res.status, headers: res.headers };
  return data;
}

export const get = (path, params, opts) => request('GET', path, { ...opts, params });

/** signIn starts a session and keeps its CSRF token. */
export async function signIn(name, password) {
  const s = await request('POST', '/session', { body: { name, password } });
  csrf = s.csrf_token || '';
  return s;
}

/** currentSession returns the signed-in session, or null. */
export async function currentSession() {
  try {
    const s = await request('GET', '/session');
    csrf = s.csrf_token || '';
    return s;
  } catch (err) {
    if (err.status === 401) return null;
    throw err;
  }
}

/** signOut ends the session. */
export async function signOut() {
  try {
    await request('DELETE', '/session');
  } finally {
    csrf = '';
  }
}

/**
 * changePassword replaces the signed-in user's password. The server ends
 * every session of theirs and answers with a new one for this browser,
 * whose CSRF token is kept.
 */
export async function changePassword(current, password) {
  const s = await request('PUT', '/session/password', { body: { current, password } });
  if (s && s.csrf_token) csrf = s.csrf_token;
  return s;
}
