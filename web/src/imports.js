// Imports: upload a file in one of the formats vigil reads, follow its
// import and the linkage run after it, and see the batches already
// imported with their counts and rejected rows.
import { useEffect, useState } from 'preact/hooks';
import { get, request } from './api.js';
import { html, useLoad, ErrorBox, Loading, reliabilityText, href } from './ui.js';

const sourceKinds = ['news', 'official', 'armed-group-media', 'intelligence', 'ngo', 'dataset', 'social', 'academic'];

const formats = [
  ['ucdp', 'UCDP GED (CSV)'], ['acled', 'ACLED (CSV)'], ['gtd', 'GTD (CSV or XLSX)'], ['gdelt', 'GDELT events (.export.CSV, zipped or not)'], ['stix', 'STIX 2.1 bundle (JSON)'],
  ['wikilist', "Wikipedia's incident lists (CSV)"], ['case', 'vigil case file (JSON)'], ['text', 'articles (text, Markdown, JSON Lines)'],
];

/** guessFormat picks a format from a file's name. */
export function guessFormat(name) {
  const n = name.toLowerCase();
  if (n.includes('gdelt') || n.endsWith('.export.csv') || n.endsWith('.export.csv.zip')) return 'gdelt';
  if (n.includes('ged') || n.includes('ucdp')) return 'ucdp';
  if (n.includes('acled')) return 'acled';
  if (n.includes('gtd') || n.endsWith('.xlsx')) return 'gtd';
  if (n.includes('stix') || n.includes('bundle')) return 'stix';
  if (n.includes('wiki')) return 'wikilist';
  if (n.endsWith('.json')) return 'case';
  if (n.endsWith('.txt') || n.endsWith('.md') || n.endsWith('.jsonl')) return 'text';
  return 'ucdp';
}

function Counts({ c }) {
  if (!c) return null;
  return html`<span class="counts">read ${c.read}, new ${c.new}, unchanged ${c.unchanged}, updated ${c.updated}, <span class=${c.rejected ? 'bad' : ''}>rejected ${c.rejected}</span>${c.skipped ? `, skipped ${c.skipped}` : ''}</span>`;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * Linkage says what became of the linkage run that follows an upload: the
 * job runs on after the import (its batch is known then) until linkage
 * ends, then says linked, with the run's figures to readers cleared for
 * RED, or why linkage failed.
 */
function Linkage({ job }) {
  if (job.status === 'running') return job.batch_id ? html`<div class="linkage" data-linkage="running">Linking…</div>` : null;
  if (job.link_error) return html`<div class="linkage error" data-linkage="failed">Linking failed (the import stands): ${job.link_error}</div>`;
  if (!job.linked) return null;
  const st = job.link;
  if (!st) return html`<div class="linkage" data-linkage="linked">Linked.</div>`;
  const review = st.review ? html`<a href=${href('/review')}>${st.review} for review</a>` : '0 for review';
  return html`<div class="linkage" data-linkage="linked">Linked: ${plural(st.pending, 'report', 'reports')} linked, ${plural(st.accepted, 'link', 'links')} made, ${review}${st.op_id ? html` <span class="muted">(operation #${st.op_id})</span>` : ''}</div>`;
}

/** maxShownWarnings caps the warnings a job lists; the rest are counted. */
const maxShownWarnings = 20;

/**
 * JobWarnings lists what the import wrote for the uploader (lines of the
 * file it skipped, and why): the first few, then how many more, counting
 * those the server kept back (warnings_omitted). Each is text, never markup.
 */
function JobWarnings({ job }) {
  const ws = job.warnings || [];
  const total = ws.length + (job.warnings_omitted || 0);
  if (!total) return null;
  const more = total - Math.min(ws.length, maxShownWarnings);
  return html`<details class="warnings" data-warnings=${total} open=${total <= 5}>
    <summary>${plural(total, 'warning', 'warnings')}</summary>
    <ul class="plain small">${ws.slice(0, maxShownWarnings).map((w, i) => html`<li key=${i}>${w}</li>`)}</ul>
    ${more > 0 && html`<div class="muted small" data-more=${more}>… and ${more} more</div>`}
  </details>`;
}

function Job({ job }) {
  const running = job.status === 'running';
  return html`<div class=${'job job-' + job.status} role="status" aria-live="polite" data-status=${job.status}>
    <div><strong>${job.file.replace(/^upload:/, '')}</strong> <span class="muted">${job.format}, ${(job.size / 1024).toFixed(1)} KB</span></div>
    <progress max=${running ? undefined : 1} value=${running ? undefined : 1} aria-label="import progress"></progress>
    <div>${running ? (job.batch_id ? 'Imported: ' : 'Importing… ') : job.status === 'done' ? 'Done: ' : 'Failed: '}<${Counts} c=${job.counts} />
      ${job.batch_id ? html` · batch ${job.batch_id}` : ''}</div>
    ${job.error && html`<div class="error">${job.error}</div>`}
    <${JobWarnings} job=${job} />
    <${Linkage} job=${job} />
  </div>`;
}

export function ImportsPage({ user }) {
  const canUpload = user.role === 'analyst' || user.role === 'admin';
  const batches = useLoad(() => get('/imports'), []);
  const [file, setFile] = useState(null);
  const [format, setFormat] = useState('ucdp');
  const [jobs, setJobs] = useState([]);
  // Articles as text are filed under a source the file does not name.
  const [source, setSource] = useState({ source: '', kind: 'news', reliability: 'F' });
  const setSrc = (k) => (e) => setSource({ ...source, [k]: e.currentTarget.value });
  const [error, setError] = useState(null);
  const running = jobs.some((j) => j.status === 'running');

  useEffect(() => {
    if (!running) return;
    const t = setInterval(async () => {
      const next = await Promise.all(jobs.map((j) => (j.status === 'running' ? get('/import-jobs/' + encodeURIComponent(j.id)).catch(() => j) : j)));
      setJobs(next);
      if (!next.some((j) => j.status === 'running')) batches.reload();
    }, 700);
    return () => clearInterval(t);
  }, [running, jobs]);

  const upload = async (e) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    try {
      const params = { format, name: file.name, ...(format === 'text' ? source : {}) };
      const job = await request('POST', '/imports', { raw: file, params });
      setJobs([job, ...jobs]);
    } catch (err) {
      setError(err);
    }
  };
  return html`<main class="page">
    <h1>Imports</h1>
    ${canUpload ? html`<form class="upload" onSubmit=${upload} aria-label="Upload a file">
      <label>File <input type="file" id="upload-file" onChange=${(e) => { const f = e.currentTarget.files[0]; setFile(f || null); if (f) setFormat(guessFormat(f.name)); }} /></label>
      <label>Format <select id="upload-format" value=${format} onChange=${(e) => setFormat(e.currentTarget.value)}>
        ${formats.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
      </select></label>
      ${format === 'text' && html`<fieldset class="textsource"><legend>The articles' source</legend>
        <label>Source <input id="upload-source" value=${source.source} onInput=${setSrc('source')} placeholder="Tolo News" required /></label>
        <label>Kind <select id="upload-kind" value=${source.kind} onChange=${setSrc('kind')}>
          ${sourceKinds.map((k) => html`<option value=${k}>${k}</option>`)}
        </select></label>
        <label>Reliability <select id="upload-reliability" value=${source.reliability} onChange=${setSrc('reliability')}>
          ${Object.entries(reliabilityText).map(([g, t]) => html`<option value=${g}>${g}: ${t}</option>`)}
        </select></label>
      </fieldset>`}
      <button type="submit" disabled=${!file || (format === 'text' && !source.source.trim())}>Import</button>
      <span class="muted small">After the import the new reports are linked into events; pairs the linker is unsure of wait in the review queue.</span>
    </form>` : html`<p class="muted">Viewers cannot import; ask an analyst.</p>`}
    <${ErrorBox} error=${error} />
    <div class="jobs">${jobs.map((j) => html`<${Job} key=${j.id} job=${j} />`)}</div>
    <h2>Batches</h2>
    <${ErrorBox} error=${batches.error} />
    ${batches.loading && !batches.data ? html`<${Loading} />` : html`<table class="table">
      <thead><tr><th>#</th><th>File</th><th>Format</th><th>Source</th><th>Started</th><th>Status</th><th>Counts</th></tr></thead>
      <tbody>${(batches.data || []).map((b) => html`<tr key=${b.id}>
        <td>${b.id}</td><td>${b.file}</td><td>${b.format}</td><td>${b.source}</td><td class="nowrap">${(b.started_at || '').slice(0, 16).replace('T', ' ')}</td>
        <td>${b.status}</td>
        <td><${Counts} c=${b.counts} />
          ${(b.rejections || []).length > 0 && html`<details><summary>${b.rejections.length} rejected rows</summary>
            <ul class="plain small">${b.rejections.slice(0, 50).map((r) => html`<li>row ${r.row}${r.field ? ': ' + r.field : ''}: ${r.reason}</li>`)}</ul></details>`}
          ${(b.warnings || []).length > 0 && html`<details><summary>${b.warnings.length} warnings</summary>
            <ul class="plain small">${b.warnings.slice(0, 50).map((r) => html`<li>row ${r.row}${r.field ? ': ' + r.field : ''}: ${r.reason}</li>`)}</ul></details>`}
        </td>
      </tr>`)}</tbody>
    </table>`}
  </main>`;
}
