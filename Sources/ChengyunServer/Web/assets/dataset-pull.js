// Scheduled pulls (定时拉取) on a dataset's page, for its owner: the URL, the format and how often
// the platform fetches it, how the last pull went, and "pull now" and "stop".
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';

const when = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());

/** `reopen` redraws the whole dataset page (its loads and sample) after a pull loads a version. */
export async function pullPanel(d, reopen) {
  const path = `/datasets/${encodeURIComponent(d.code)}/pull`;
  const section = element('section', { className: 'dataset-pull' });
  let pull = null;
  try {
    pull = await api(path);
  } catch (failure) {
    if (failure.status !== 404) throw failure;
  }
  const status = element('p', { className: 'muted', role: 'status' });
  const fail = (failure) => { status.className = 'error'; status.textContent = problemText(failure); };
  const url = element('input', { id: 'pull-url', type: 'url', maxLength: 500, value: pull?.url ?? '', ariaLabel: t('pull.url') });
  const format = element('select', { id: 'pull-format', ariaLabel: t('load.format') }, ['csv', 'json', 'ndjson', 'geojson'].map((v) => element('option', { value: v, textContent: v.toUpperCase(), selected: pull?.format === v })));
  const interval = element('input', { id: 'pull-interval', type: 'number', min: 15, max: 10080, value: pull?.intervalMinutes ?? 60, ariaLabel: t('pull.interval') });
  const save = element('button', { type: 'button', className: 'pull-save primary', textContent: t('pull.save') });
  const run = pull ? element('button', { type: 'button', className: 'pull-run', textContent: t('pull.run') }) : null;
  const stop = pull ? element('button', { type: 'button', className: 'pull-stop', textContent: t('pull.stop') }) : null;
  const redraw = async () => section.replaceWith(await pullPanel(d, reopen));
  save.addEventListener('click', async () => {
    try {
      await api(path, { method: 'PUT', body: { url: url.value.trim(), format: format.value, intervalMinutes: Number(interval.value) } });
      await redraw();
    } catch (failure) { fail(failure); }
  });
  run?.addEventListener('click', async () => {
    status.className = 'muted';
    status.textContent = t('pull.running');
    try {
      const done = await api(`${path}/run`, { method: 'POST' });
      if (done.lastOutcome === 'loaded' && reopen) await reopen();
      else await redraw();
    } catch (failure) { fail(failure); }
  });
  stop?.addEventListener('click', async () => {
    try {
      await api(path, { method: 'DELETE' });
      await redraw();
    } catch (failure) { fail(failure); }
  });
  const last = pull?.lastOutcome
    ? element('p', { className: `pull-last ${pull.lastOutcome === 'failed' ? 'error' : 'ok'}`, dataset: { outcome: pull.lastOutcome },
      textContent: t('pull.last', { when: when(pull.lastRunAt), outcome: t(`pull.outcome.${pull.lastOutcome}`), version: pull.lastVersion ?? '—' }) + (pull.lastError ? `：${pull.lastError}` : '') })
    : null;
  section.replaceChildren(
    element('h4', { textContent: t('pull.heading') }),
    element('p', { className: 'muted', textContent: pull ? t('pull.next', { when: when(pull.nextRunAt) }) : t('pull.none') }),
    ...(last ? [last] : []),
    element('div', { className: 'form-row' }, [
      element('label', {}, [t('pull.url'), url]), element('label', {}, [t('load.format'), format]),
      element('label', {}, [t('pull.interval'), interval]),
    ]),
    element('div', { className: 'dataset-actions' }, [save, ...[run, stop].filter(Boolean)]),
    status,
  );
  return section;
}
