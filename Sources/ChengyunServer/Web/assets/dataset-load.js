// The load wizard (数据汇聚): choose a file, map its columns to the dataset's fields, declare the
// cleaning steps, preview what the cleaning makes of the whole file (nothing written), then
// commit it as the dataset's next version and read its quality report.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';
import './text-datahub.js';

const formats = { csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson', geojson: 'application/geo+json' };

function formatOf(name) {
  const ext = name.toLowerCase().split('.').pop();
  return { csv: 'csv', json: 'json', geojson: 'geojson', ndjson: 'ndjson', jsonl: 'ndjson' }[ext] ?? 'csv';
}

/** The character sets a file may be sent in: UTF-8, or GBK/GB2312 read as GB18030 (their superset). */
const charsets = ['utf8', 'gb18030'];

/** UTF-8 when the file's first 64 KB are UTF-8; otherwise GB18030, as Chinese systems' exports mostly are. */
async function charsetOf(file) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(await file.slice(0, 65536).arrayBuffer(), { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** The first line of a CSV file's cells (quotes honoured), read from its first 64 KB in `charset`. */
async function csvHeader(file, charset) {
  const bytes = await file.slice(0, 65536).arrayBuffer();
  const text = new TextDecoder(charset === 'gb18030' ? 'gb18030' : 'utf-8').decode(bytes, { stream: true }).replace(/^\uFEFF/, '');
  const line = text.split(/\r?\n/)[0] ?? '';
  const cells = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { cells.push(cell.trim()); cell = ''; } else cell += ch;
  }
  cells.push(cell.trim());
  return cells.filter(Boolean);
}

/** Sends the file as the body of a load (or a dry run), its character set named in the content type. */
async function send(code, file, format, charset, dryRun) {
  const type = formats[format] + (charset === 'gb18030' ? '; charset=GB18030' : '');
  const response = await fetch(`/api/v1/datasets/${encodeURIComponent(code)}/loads?format=${format}${dryRun ? '&dryRun=true' : ''}`, {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': type }, body: file,
  });
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

export function reportView(load) {
  const r = load.report;
  const counts = element('p', { className: 'load-counts', textContent: t('load.counts', { in: r.rowsIn, kept: r.kept, corrected: r.corrected, refused: r.refused }) });
  const refusals = r.refusals.slice(0, 20).map((x) => [String(x.line), x.field ?? '', t(`load.reason.${x.reason}`), x.detail]);
  const rows = refusals.map((cells) => element('tr', {}, cells.map((c) => element('td', { textContent: c }))));
  return element('div', { className: 'load-report' }, [
    counts,
    ...(r.unmappedColumns.length > 0 ? [element('p', { className: 'muted', textContent: t('load.unmapped', { columns: r.unmappedColumns.join('、') }) })] : []),
    ...(rows.length > 0 ? [element('table', { className: 'load-refusals' }, [
      element('thead', {}, [element('tr', {}, ['load.line', 'load.field', 'load.reason', 'load.value'].map((h) => element('th', { textContent: t(h) })))]),
      element('tbody', {}, rows)])] : []),
  ]);
}

function sampleTable(fields, sample) {
  if (!sample || sample.length === 0) return element('p', { className: 'muted', textContent: t('common.empty') });
  return element('table', { className: 'load-sample' }, [
    element('thead', {}, [element('tr', {}, fields.map((f) => element('th', { textContent: f.name })))]),
    element('tbody', {}, sample.map((row) => element('tr', {}, fields.map((f) => element('td', { textContent: row[f.name] ?? '' }))))),
  ]);
}

/** The wizard for `dataset`; `done` hears the committed load. */
export async function loadWizard(dataset, done) {
  const pipeline = await api(`/datasets/${encodeURIComponent(dataset.code)}/pipeline`);
  const file = element('input', { type: 'file', id: 'load-file', accept: '.csv,.json,.geojson,.ndjson,.jsonl', ariaLabel: t('load.file') });
  const format = element('select', { id: 'load-format', ariaLabel: t('load.format') },
    Object.keys(formats).map((f) => element('option', { value: f, textContent: f.toUpperCase() })));
  const charset = element('select', { id: 'load-charset', ariaLabel: t('load.charset') },
    charsets.map((c) => element('option', { value: c, textContent: t(`load.charset.${c}`) })));
  const mapping = element('div', { id: 'load-mapping' });
  const steps = element('textarea', { id: 'load-steps', rows: 8, className: 'code', spellcheck: false, ariaLabel: t('load.steps'),
    value: JSON.stringify(pipeline.steps, null, 1) });
  const status = element('p', { className: 'muted', role: 'status' });
  const result = element('div', { id: 'load-result' });
  const preview = element('button', { type: 'button', id: 'load-preview', textContent: t('load.preview') });
  const commit = element('button', { type: 'button', id: 'load-commit', className: 'primary', textContent: t('load.commit'), disabled: true });
  let selects = [];

  const drawMapping = (columns) => {
    selects = columns.map((column) => {
      const chosen = pipeline.columns[column] ?? (dataset.fields.some((f) => f.name === column) ? column : '');
      const select = element('select', { className: 'load-column', ariaLabel: column, dataset: { column } }, [
        element('option', { value: '', textContent: t('load.ignore') }),
        ...dataset.fields.map((f) => element('option', { value: f.name, textContent: `${f.title} (${f.name})`, selected: f.name === chosen })),
      ]);
      return select;
    });
    mapping.replaceChildren(...(columns.length === 0 ? [element('p', { className: 'muted', textContent: t('load.noHeader') })]
      : [element('table', {}, [element('tbody', {}, selects.map((s) => element('tr', {}, [element('td', { textContent: s.dataset.column }), element('td', {}, [s])])))])]));
  };
  const readHeader = async () => {
    const chosen = file.files[0];
    if (chosen) drawMapping(format.value === 'csv' ? await csvHeader(chosen, charset.value) : []);
  };
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    format.value = formatOf(chosen.name);
    charset.value = await charsetOf(chosen);
    commit.disabled = true;
    await readHeader();
  });
  charset.addEventListener('change', () => { commit.disabled = true; readHeader(); });

  /** Saves the mapping and steps as the dataset's pipeline, then runs the file through it. */
  const run = async (dryRun) => {
    status.className = 'muted';
    status.textContent = t(dryRun ? 'load.previewing' : 'load.loading');
    try {
      let parsed;
      try { parsed = JSON.parse(steps.value || '[]'); } catch (error) { throw new Error(t('form.badJson', { detail: error.message })); }
      // The mapping is this file's: what is not chosen is not loaded. JSON sources keep the stored one.
      const columns = selects.length === 0 ? pipeline.columns
        : Object.fromEntries(selects.filter((s) => s.value && s.value !== s.dataset.column).map((s) => [s.dataset.column, s.value]));
      await api(`/datasets/${encodeURIComponent(dataset.code)}/pipeline`, { method: 'PUT', body: { columns, steps: parsed } });
      const load = await send(dataset.code, file.files[0], format.value, charset.value, dryRun);
      status.textContent = dryRun ? t('load.previewed') : t('load.committed', { version: load.version });
      status.className = 'ok';
      result.replaceChildren(reportView(load), ...(dryRun ? [element('h4', { textContent: t('load.sample') }), sampleTable(dataset.fields, load.sample)] : []));
      commit.disabled = !dryRun;
      if (!dryRun) done(load);
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  };
  preview.addEventListener('click', () => (file.files[0] ? run(true) : file.focus()));
  commit.addEventListener('click', () => run(false));
  return element('section', { className: 'card load-wizard', id: 'load-wizard' }, [
    element('h3', { textContent: t('load.title', { title: dataset.title }) }),
    element('p', { className: 'muted', textContent: t('load.intro') }),
    element('div', { className: 'toolbar' }, [file, format, charset]),
    element('h4', { textContent: t('load.mapping') }), mapping,
    element('h4', { textContent: t('load.steps') }), element('p', { className: 'muted hint', textContent: t('load.stepsHint') }), steps,
    element('div', { className: 'dataset-actions' }, [preview, commit]), status, result,
  ]);
}
