// The dataset registration form (目录注册): the metadata, the fields as rows to fill in, and the
// lineage as datasets and outside sources. Used to register a draft and to edit one.
import { api, all } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { control, onSubmit, FieldError } from './forms.js';
import './text-datahub.js';

const fieldTypes = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'lon', 'lat', 'geometry'];
const choices = (prefix, values) => () => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

/** The fields editor: one row per field (name, type, title, unit, required, key) and a button for another. */
function fieldRows(value) {
  const body = element('tbody');
  const addRow = (f = {}) => {
    const name = element('input', { className: 'dsf-name', value: f.name ?? '', placeholder: 'code', ariaLabel: t('dataset.field.name') });
    const type = element('select', { className: 'dsf-type', ariaLabel: t('dataset.field.type') },
      fieldTypes.map((v) => element('option', { value: v, textContent: t(`dataset.type.${v}`), selected: v === (f.type ?? 'string') })));
    const title = element('input', { className: 'dsf-title', value: f.title ?? '', ariaLabel: t('dataset.field.title') });
    const unit = element('input', { className: 'dsf-unit', value: f.unit ?? '', size: 4, ariaLabel: t('dataset.field.unit') });
    const required = element('input', { type: 'checkbox', className: 'dsf-required', checked: !!f.required, ariaLabel: t('dataset.field.required') });
    const key = element('input', { type: 'checkbox', className: 'dsf-key', checked: !!f.key, ariaLabel: t('dataset.field.key') });
    const remove = element('button', { type: 'button', textContent: '×', ariaLabel: t('dataset.field.remove') });
    const row = element('tr', {}, [name, type, title, unit, required, key, remove].map((c) => element('td', {}, [c])));
    remove.addEventListener('click', () => row.remove());
    body.append(row);
  };
  for (const f of value ?? []) addRow(f);
  if ((value ?? []).length === 0) addRow({ key: true, required: true });
  const more = element('button', { type: 'button', className: 'dsf-add', textContent: t('dataset.field.add') });
  more.addEventListener('click', () => addRow());
  const headers = ['name', 'type', 'title', 'unit', 'required', 'key', 'remove'];
  const input = element('div', { className: 'dataset-fields' }, [
    element('table', {}, [element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { textContent: t(`dataset.field.${h}`) })))]), body]),
    more,
  ]);
  const read = () => [...body.rows].map((row) => {
    const get = (cls) => row.querySelector(`.${cls}`);
    const unit = get('dsf-unit').value.trim();
    return {
      name: get('dsf-name').value.trim(), type: get('dsf-type').value, title: get('dsf-title').value.trim(),
      ...(unit ? { unit } : {}), required: get('dsf-required').checked || get('dsf-key').checked, key: get('dsf-key').checked,
    };
  }).filter((f) => f.name || f.title);
  return { input, focus: body.querySelector('input'), read };
}

/** Lineage: the catalog's datasets it comes from (picked) and sources outside it (one a line). */
function lineagePicker(datasets) {
  return (value) => {
    const chosen = new Set((value ?? []).filter((l) => l.kind === 'dataset').map((l) => l.ref));
    const boxes = datasets.map((d) => element('input', { type: 'checkbox', value: d.code, checked: chosen.has(d.code) }));
    const sources = element('textarea', { rows: 2, className: 'dsf-sources', placeholder: t('dataset.sourcesHint'), ariaLabel: t('dataset.source'),
      value: (value ?? []).filter((l) => l.kind === 'source').map((l) => l.ref).join('\n') });
    const input = element('div', {}, [
      element('fieldset', { className: 'checks dsf-lineage' }, boxes.map((box, i) => element('label', { className: 'check' }, [box, `${datasets[i].title} (${datasets[i].code})`]))),
      sources,
    ]);
    // Links to datasets not listed (the owner's own unpublished ones) are kept as they were.
    const listed = new Set(datasets.map((d) => d.code));
    const kept = (value ?? []).filter((l) => l.kind === 'dataset' && !listed.has(l.ref));
    const read = () => [
      ...kept,
      ...boxes.filter((b) => b.checked).map((b) => ({ kind: 'dataset', ref: b.value })),
      ...sources.value.split('\n').map((s) => s.trim()).filter(Boolean).map((ref) => ({ kind: 'source', ref })),
    ];
    return { input, focus: boxes[0] ?? sources, read };
  };
}

/** The registration form; `existing` is a draft to edit. `done` hears the saved dataset. */
export async function datasetForm(me, existing, done) {
  const [published, departments] = await Promise.all([
    all('/datasets?state=published'),
    me.roles.includes('admin') ? all('/departments') : Promise.resolve([]),
  ]);
  const d = existing ?? {};
  const bboxField = (value) => {
    const input = element('input', { value: value?.bbox?.join(', ') ?? '', placeholder: '120.5, 31.2, 120.7, 31.4' });
    return { input, read: () => {
      const { bbox: _, ...rest } = value ?? {};
      if (!input.value.trim()) return Object.keys(rest).length > 0 ? rest : '';
      const box = input.value.split(/[,，\s]+/).filter(Boolean).map(Number);
      if (box.length !== 4 || box.some(Number.isNaN)) throw new FieldError(t('dataset.bboxHint'));
      return { ...(value ?? {}), bbox: box };
    } };
  };
  const serviceField = (value) => {
    const on = element('input', { type: 'checkbox', className: 'dsf-service-on', checked: value != null });
    const url = element('input', { type: 'url', className: 'dsf-service-url', value: value?.url ?? '', maxLength: 500, ariaLabel: t('service.url') });
    const get = element('input', { type: 'checkbox', className: 'dsf-service-get', checked: value == null || value.methods.includes('GET') });
    const post = element('input', { type: 'checkbox', className: 'dsf-service-post', checked: value?.methods.includes('POST') ?? false });
    const spec = element('input', { type: 'url', className: 'dsf-service-spec', value: value?.specification ?? '', maxLength: 500, ariaLabel: t('service.spec') });
    const input = element('fieldset', { className: 'checks dsf-service' }, [
      element('label', { className: 'check' }, [on, t('service.isService')]), element('label', {}, [t('service.url'), url]),
      element('label', { className: 'check' }, [get, 'GET']), element('label', { className: 'check' }, [post, 'POST']),
      element('label', {}, [t('service.spec'), spec]),
    ]);
    return { input, read: () => {
      if (!on.checked) return '';
      const methods = [...(get.checked ? ['GET'] : []), ...(post.checked ? ['POST'] : [])];
      return { url: url.value.trim(), methods, ...(spec.value.trim() ? { specification: spec.value.trim() } : {}) };
    } };
  };
  const fields = [
    { key: 'code', label: 'dataset.code', required: true, pattern: '[a-z0-9][a-z0-9_\\-]{1,99}', hint: 'dataset.codeHint' },
    { key: 'title', label: 'dataset.title', required: true },
    { key: 'titleEn', label: 'dataset.titleEn' },
    { key: 'description', label: 'dataset.description', type: 'textarea', keepEmpty: true, emptyValue: '' },
    ...(departments.length > 0 ? [{ key: 'ownerDepartmentId', label: 'dataset.owner', type: 'select', required: !me.departmentId,
      options: () => departments.map((x) => ({ value: x.id, label: x.name })) }] : []),
    { key: 'sharingType', label: 'dataset.sharing', type: 'select', required: true, options: choices('dataset.sharing', ['unconditional', 'conditional', 'none']) },
    { key: 'sharingCondition', label: 'dataset.condition', type: 'textarea', hint: 'dataset.conditionHint' },
    { key: 'openType', label: 'dataset.open', type: 'select', required: true, options: choices('dataset.open', ['open', 'conditional', 'closed']) },
    { key: 'updateCycle', label: 'dataset.cycle', type: 'select', required: true,
      options: choices('dataset.cycle', ['real_time', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']) },
    { key: 'coverage', label: 'dataset.bbox', type: 'custom', custom: bboxField },
    { key: 'tags', label: 'dataset.tags', type: 'lines', rows: 2 },
    { key: 'fields', label: 'dataset.fields', type: 'custom', required: true, custom: fieldRows },
    { key: 'lineage', label: 'dataset.lineage', type: 'custom', custom: lineagePicker(published.filter((x) => x.code !== d.code)) },
    { key: 'service', label: 'service.heading', type: 'custom', hint: 'service.hint', custom: serviceField },
  ];
  const controls = fields.map((f) => control(f, d[f.key]));
  if (existing) controls[0].node.querySelector('input').readOnly = true;
  const general = element('p', { className: 'error', role: 'alert', hidden: true });
  const save = element('button', { type: 'submit', className: 'primary', textContent: t(existing ? 'dataset.saveDraft' : 'dataset.register') });
  const form = element('form', { id: 'dataset-form', className: 'card editor', noValidate: true }, [
    element('h3', { textContent: t(existing ? 'dataset.edit' : 'dataset.new') }), ...controls.map((c) => c.node), general, save,
  ]);
  onSubmit(form, controls, general, async (body) => {
    const saved = existing
      ? await api(`/datasets/${encodeURIComponent(d.code)}`, { method: 'PUT', body })
      : await api('/datasets', { method: 'POST', body });
    done(saved);
  });
  return form;
}
