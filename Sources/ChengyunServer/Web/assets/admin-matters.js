// The matter catalogue (事项管理): each matter's conditions, time limits per stage and urgency,
// warning thresholds and custom fields; import and export of the whole catalogue as a file.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { FieldError } from './forms.js';
import { enumOptions, resourcePage } from './admin.js';
import { matterCode as code } from './names.js';

const stages = ['accept', 'verify', 'file', 'dispatch', 'handle', 'check', 'close'];
const urgencies = ['urgent', 'normal'];
const units = ['minutes', 'hours', 'days'];
const limitText = (l) => (l ? `${l.value} ${t(`unit.${l.unit}`)}` : '—');

/** A grid of urgency × stage (and the whole case): a whole number and a unit per cell. */
function limitsControl(value) {
  const rows = urgencies.map((urgency) => {
    const entry = (value ?? []).find((l) => l.urgency === urgency);
    const cells = [...stages, 'total'].map((stage) => {
      const limit = stage === 'total' ? entry?.total : entry?.stages.find((s) => s.stage === stage)?.limit;
      const label = `${t(`urgency.${urgency}`)} · ${t(`stage.${stage}`)}`;
      const number = element('input', { type: 'number', min: 1, step: 1, value: limit?.value ?? '', ariaLabel: label, className: 'limit-value', dataset: { urgency, stage } });
      const unit = element('select', { ariaLabel: `${label} · ${t('admin.unit')}` },
        units.map((u) => element('option', { value: u, textContent: t(`unit.${u}`), selected: u === (limit?.unit ?? 'hours') })));
      return { stage, number, unit };
    });
    return { urgency, cells };
  });
  const input = element('table', { className: 'limits' }, [
    element('thead', {}, [element('tr', {}, [element('th', {}), ...[...stages, 'total'].map((s) => element('th', { scope: 'col', textContent: t(`stage.${s}`) }))])]),
    element('tbody', {}, rows.map((row) => element('tr', {}, [element('th', { scope: 'row', textContent: t(`urgency.${row.urgency}`) }),
      ...row.cells.map((c) => element('td', {}, [c.number, c.unit]))]))),
  ]);
  const limitOf = (c, urgency) => {
    const n = Number(c.number.value);
    if (!Number.isInteger(n) || n < 1) throw new FieldError(t('admin.badLimit', { where: `${t(`urgency.${urgency}`)} · ${t(`stage.${c.stage}`)}` }));
    return { value: n, unit: c.unit.value };
  };
  return {
    input, focus: rows[0].cells[0].number,
    read: () => rows.filter((row) => row.cells.some((c) => c.number.value !== '')).map((row) => {
      const total = row.cells.at(-1);
      if (total.number.value === '') throw new FieldError(t('admin.totalRequired', { urgency: t(`urgency.${row.urgency}`) }));
      return {
        urgency: row.urgency,
        stages: row.cells.slice(0, -1).filter((c) => c.number.value !== '').map((c) => ({ stage: c.stage, limit: limitOf(c, row.urgency) })),
        total: limitOf(total, row.urgency),
      };
    }),
  };
}

/** The share of a stage's limit after which a yellow warning is raised, in percent (blank: 80%). */
function thresholdsControl(value) {
  const inputs = stages.map((stage) => {
    const current = (value ?? []).find((w) => w.stage === stage);
    return element('input', { type: 'number', min: 1, max: 100, step: 1, placeholder: '80', ariaLabel: t(`stage.${stage}`),
      value: current ? Math.round(current.threshold * 100) : '', dataset: { stage } });
  });
  const input = element('div', { className: 'thresholds' }, stages.map((stage, i) =>
    element('label', { className: 'threshold' }, [t(`stage.${stage}`), inputs[i], '%'])));
  return {
    input, focus: inputs[0],
    read: () => inputs.filter((i) => i.value !== '').map((i) => {
      const pct = Number(i.value);
      if (!(pct > 0 && pct <= 100)) throw new FieldError(t('admin.badThreshold'));
      return { stage: i.dataset.stage, threshold: pct / 100 };
    }),
  };
}

function catalogueFile(done) {
  const file = element('input', { type: 'file', id: 'catalogue-file', accept: 'application/json,.json' });
  const result = element('p', { role: 'status' });
  const form = element('form', { className: 'inline-form' }, [
    element('a', { className: 'button', href: '/api/v1/matters/export', download: 'matters.json', textContent: t('admin.export') }),
    element('label', { htmlFor: 'catalogue-file', textContent: t('admin.importFile') }), file,
    element('button', { type: 'submit', className: 'primary', textContent: t('admin.import') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (file.files.length === 0) return;
    try {
      const report = await api('/matters/import', { method: 'POST', body: JSON.parse(await file.files[0].text()) });
      await done(t('admin.imported', report));
    } catch (failure) {
      const issues = failure instanceof ApiError ? (failure.problem?.errors ?? []) : [];
      result.className = 'error';
      result.textContent = issues.length > 0 ? issues.slice(0, 5).map((i) => `${i.field}: ${i.message}`).join('；') : failure.message;
    }
  });
  return element('section', { className: 'card' }, [element('h2', { textContent: t('admin.catalogueFile') }), form, result]);
}

export const matters = resourcePage({
  title: 'admin.matters',
  intro: 'admin.mattersIntro',
  load: async () => (await api('/matters')).items.sort((a, b) => code(a).localeCompare(code(b))),
  key: code,
  columns: [
    ['areas.code', code], ['areas.name', (m) => m.name], ['admin.version', (m) => `v${m.version}`],
    ['admin.normalTotal', (m) => limitText(m.limits.find((l) => l.urgency === 'normal')?.total)],
    ['admin.urgentTotal', (m) => limitText(m.limits.find((l) => l.urgency === 'urgent')?.total)],
    ['admin.public', (m) => (m.isPublic ? t('admin.yes') : '')], ['admin.enabled', (m) => (m.active === false ? t('admin.no') : t('admin.yes'))],
  ],
  fields: () => [
    { key: 'kind', label: 'admin.matterKind', type: 'select', on: 'create', required: true, options: enumOptions(['component', 'event'], 'matterKind') },
    { key: 'majorCode', label: 'admin.majorCode', on: 'create', required: true, pattern: '[0-9]{2}' },
    { key: 'minorCode', label: 'admin.minorCode', on: 'create', required: true, pattern: '[0-9]{2}' },
    { key: 'name', label: 'areas.name', required: true },
    { key: 'description', label: 'case.description', type: 'textarea', rows: 2 },
    { key: 'filingCondition', label: 'matter.filing', type: 'textarea', rows: 2 },
    { key: 'closingCondition', label: 'matter.closing', type: 'textarea', rows: 2 },
    { key: 'limits', label: 'admin.limits', type: 'custom', custom: limitsControl, required: true, hint: 'admin.limitsHint' },
    { key: 'warningThresholds', label: 'admin.thresholds', type: 'custom', custom: thresholdsControl, keepEmpty: true, emptyValue: [] },
    { key: 'autoAccept', label: 'admin.autoAccept', type: 'bool' },
    { key: 'isPublic', label: 'admin.public', type: 'bool' },
    { key: 'active', label: 'admin.enabled', type: 'bool', default: true },
    { key: 'customFields', label: 'admin.customFields', type: 'json', rows: 5, keepEmpty: true, emptyValue: [], hint: 'admin.customFieldsHint' },
  ],
  create: (body) => api('/matters', { method: 'POST', body }),
  update: (m, body) => api(`/matters/${m.id}`, { method: 'PUT', body: { ...body, kind: m.kind, majorCode: m.majorCode, minorCode: m.minorCode } }),
  before: (page, me, ctx, done) => (me.roles.includes('admin') ? [catalogueFile(done)] : []),
});
