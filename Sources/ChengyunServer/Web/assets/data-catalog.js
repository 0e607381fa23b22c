// The data catalog (资源目录): search the published datasets and one's own drafts, read a
// dataset's terms, fields and lineage, and move it along draft → under review → published →
// withdrawn. Departments register their datasets; the operation centre publishes them.
import { api, all } from './api.js';
import { t, currentLanguage } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';
import { datasetForm } from './dataset-form.js';
import { loadWizard, reportView } from './dataset-load.js';
import { pullPanel } from './dataset-pull.js';
import { pushPanel } from './dataset-push.js';
import { applyForm, mayApply } from './data-access.js';
import './text-datahub.js';

const when = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());
const title = (d) => (currentLanguage() === 'en' && d.titleEn ? d.titleEn : d.title);
const isCentre = (me) => me.roles.includes('admin') && me.areaPath != null && me.areaPath.split('/').filter(Boolean).length <= 1;

/** What the caller may do to the dataset now, as the server will judge it (it judges again):
 *  the owner submits, revises and withdraws; the centre reviews (not its own submission or
 *  edit) and withdraws, and looks after the platform's own datasets alone. */
function actionsFor(d, me) {
  const centre = isCentre(me);
  const platformOwn = d.origin === 'platform';
  const owner = platformOwn ? centre
    : (me.departmentId && me.departmentId === d.ownerDepartmentId) || (me.roles.includes('admin') && d.areaPath.startsWith(me.areaPath ?? '#'));
  const reviewer = centre && (platformOwn || (d.submittedBy !== me.id && !(d.editors ?? []).includes(me.id)));
  const mine = { draft: owner ? ['submit'] : [], under_review: reviewer ? ['approve', 'reject'] : [],
    published: owner || centre ? ['withdraw'] : [], withdrawn: owner ? ['revise'] : [] };
  return mine[d.state] ?? [];
}

function terms(d) {
  const rows = [
    ['dataset.owner', d.ownerName], ['dataset.stateLabel', `${t(`dataset.state.${d.state}`)} · v${d.version}`],
    ['dataset.sharing', t(`dataset.sharing.${d.sharingType}`) + (d.sharingCondition ? `：${d.sharingCondition}` : '')],
    ['dataset.open', t(`dataset.open.${d.openType}`)], ['dataset.cycle', t(`dataset.cycle.${d.updateCycle}`)],
    ['dataset.bbox', d.coverage?.bbox?.join(', ') ?? '—'], ['dataset.tagList', d.tags.join('、') || '—'],
    ['dataset.published', when(d.publishedAt)], ['dataset.reviewNote', d.reviewNote ?? '—'],
    ...(d.service ? [['service.url', d.service.url], ['service.call', `${d.service.methods.join(' / ')} /api/v1/services/${d.code}/call/…`],
      ['service.spec', d.service.specification ?? '—']] : []),
  ];
  return element('dl', { className: 'facts dataset-terms' }, rows.flatMap(([k, v]) => [element('dt', { textContent: t(k) }), element('dd', { textContent: v })]));
}

function fieldTable(d) {
  const headers = ['name', 'type', 'title', 'unit', 'required', 'key'];
  return element('table', { className: 'dataset-field-table' }, [
    element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: t(`dataset.field.${h}`) })))]),
    element('tbody', {}, d.fields.map((f) => element('tr', {}, [
      f.name, t(`dataset.type.${f.type}`), f.title, f.unit ?? '', f.required ? '✓' : '', f.key ? '✓' : '',
    ].map((c) => element('td', { textContent: c }))))),
  ]);
}

function lineage(d, open) {
  if (d.lineage.length === 0) return element('p', { className: 'muted', textContent: t('common.empty') });
  return element('ul', { className: 'dataset-lineage' }, d.lineage.map((l) => element('li', {}, l.kind === 'dataset'
    ? [element('a', { href: '#/datasets', className: 'lineage-dataset', textContent: l.ref, onclick: (e) => { e.preventDefault(); open(l.ref); } })]
    : [`${t('dataset.source')}：${l.ref}`])));
}

/** A registered dataset's recent loads with their quality, and a few of its records when the
 *  caller may read them. */
async function dataSection(d) {
  if (d.origin !== 'registered') return [];
  const loads = await api(`/datasets/${encodeURIComponent(d.code)}/loads`);
  const parts = [element('h4', { textContent: t('load.history') })];
  if (loads.items.length === 0) parts.push(element('p', { className: 'muted', textContent: t('load.none') }));
  for (const load of loads.items.slice(0, 5)) {
    parts.push(element('div', { className: 'dataset-load', dataset: { version: load.version } }, [
      element('strong', { textContent: `v${load.version} · ${load.format.toUpperCase()} · ${when(load.finishedAt)}` }), reportView(load),
    ]));
  }
  try {
    const page = await api(`/datasets/${encodeURIComponent(d.code)}/records?limit=10`);
    const rows = page.records.map((r) => element('tr', {}, d.fields.map((f) => {
      const value = r[f.name];
      return element('td', { textContent: value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value) });
    })));
    parts.push(element('h4', { textContent: t('load.records') }), element('table', { className: 'dataset-records' }, [
      element('thead', {}, [element('tr', {}, d.fields.map((f) => element('th', { textContent: f.title })))]), element('tbody', {}, rows)]));
  } catch {
    parts.push(element('p', { className: 'muted', textContent: t('load.notShared') }));
  }
  return parts;
}

/** A dataset's page: terms, fields, lineage, the schema link and the steps the caller may take. */
async function detail(panel, code, me, reload) {
  const d = await api(`/datasets/${encodeURIComponent(code)}`);
  const open = (other) => detail(panel, other, me, reload).catch((failure) => {
    status.className = 'error';
    status.textContent = problemText(failure);
  });
  const status = element('p', { className: 'muted', role: 'status' });
  const note = element('input', { className: 'dataset-note', placeholder: t('dataset.note'), ariaLabel: t('dataset.note'), maxLength: 1000 });
  const buttons = actionsFor(d, me).map((action) => {
    const button = element('button', { type: 'button', className: `dataset-${action}${action === 'approve' || action === 'submit' ? ' primary' : ''}`, textContent: t(`dataset.action.${action}`) });
    button.addEventListener('click', async () => {
      try {
        const body = { action, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
        await api(`/datasets/${encodeURIComponent(d.code)}/actions`, { method: 'POST', body });
        await reload();
        await open(d.code);
      } catch (failure) {
        status.className = 'error';
        status.textContent = problemText(failure);
      }
    });
    return button;
  });
  const edit = d.state === 'draft' && d.origin === 'registered' && actionsFor(d, me).includes('submit')
    ? element('button', { type: 'button', className: 'dataset-edit', textContent: t('dataset.edit') }) : null;
  const owns = d.origin === 'registered' && (me.roles.includes('handler') || me.roles.includes('admin'))
    && ((me.departmentId && me.departmentId === d.ownerDepartmentId) || (me.roles.includes('admin') && d.areaPath.startsWith(me.areaPath ?? '#')));
  const mayLoad = owns && d.state !== 'withdrawn' && !d.service && d.fields.some((f) => f.key);
  const load = mayLoad ? element('button', { type: 'button', className: 'dataset-load-open', textContent: t('load.open') }) : null;
  load?.addEventListener('click', async () => {
    panel.replaceChildren(await loadWizard(d, async () => { await reload(); }));
  });
  const apply = mayApply(d, me) ? element('button', { type: 'button', className: 'dataset-apply', textContent: t('access.apply') }) : null;
  apply?.addEventListener('click', () => {
    apply.replaceWith(applyForm(d, me, async () => { location.hash = '#/access'; }));
  });
  edit?.addEventListener('click', async () => {
    panel.replaceChildren(await datasetForm(me, d, async (saved) => { await reload(); await open(saved.code); }));
  });
  const schema = d.state === 'published'
    ? element('a', { href: `/api/v1/public/datasets/${encodeURIComponent(d.code)}/schema`, target: '_blank', textContent: t('dataset.schema') }) : '';
  panel.replaceChildren(element('article', { className: 'card dataset-detail', dataset: { code: d.code, state: d.state } }, [
    element('h3', { textContent: `${title(d)} (${d.code})` }),
    element('p', { textContent: d.description }),
    terms(d),
    element('h4', { textContent: t('dataset.fields') }), fieldTable(d),
    element('h4', { textContent: t('dataset.lineage') }), lineage(d, open),
    element('p', {}, [schema]),
    ...(buttons.length > 0 || edit || load || apply ? [element('div', { className: 'dataset-actions' }, [...(buttons.some((b) => /reject|withdraw/.test(b.className)) ? [note] : []), ...buttons, ...[edit, load, apply].filter(Boolean)])] : []),
    status,
    ...(mayLoad ? [await pullPanel(d, () => open(d.code))] : []),
    ...(owns && !d.service ? [await pushPanel(d, mayLoad)] : []),
    ...(d.service ? [] : await dataSection(d)),
  ]));
}

export async function datasets(page, me) {
  const q = element('input', { id: 'dataset-q', type: 'search', placeholder: t('dataset.search'), ariaLabel: t('dataset.search') });
  const state = element('select', { id: 'dataset-state', ariaLabel: t('dataset.stateLabel') }, [
    element('option', { value: '', textContent: t('dataset.allStates') }),
    ...['draft', 'under_review', 'published', 'withdrawn'].map((s) => element('option', { value: s, textContent: t(`dataset.state.${s}`) })),
  ]);
  const sharing = element('select', { id: 'dataset-sharing', ariaLabel: t('dataset.sharing') }, [
    element('option', { value: '', textContent: t('dataset.allSharing') }),
    ...['unconditional', 'conditional', 'none'].map((s) => element('option', { value: s, textContent: t(`dataset.sharing.${s}`) })),
  ]);
  const list = element('tbody');
  const panel = element('div', { id: 'dataset-panel' });
  const mayRegister = me.roles.includes('admin') || me.roles.includes('handler');
  const register = element('button', { type: 'button', id: 'dataset-new', className: 'primary', textContent: t('dataset.new'), hidden: !mayRegister });
  const reload = async () => {
    const query = new URLSearchParams();
    if (q.value.trim()) query.set('q', q.value.trim());
    if (state.value) query.set('state', state.value);
    if (sharing.value) query.set('sharingType', sharing.value);
    const found = await all(`/datasets?${query}`);
    list.replaceChildren(...found.map((d) => {
      const row = element('tr', { className: 'dataset-row', dataset: { code: d.code, state: d.state }, tabIndex: 0 }, [
        element('td', {}, [element('a', { href: '#/datasets', textContent: title(d) })]), element('td', { textContent: d.code }),
        element('td', { textContent: d.ownerName }), element('td', { textContent: t(`dataset.sharing.${d.sharingType}`) }),
        element('td', { textContent: t(`dataset.open.${d.openType}`) }), element('td', { textContent: t(`dataset.cycle.${d.updateCycle}`) }),
        element('td', { textContent: t(`dataset.state.${d.state}`) }),
      ]);
      const open = (e) => { e.preventDefault(); detail(panel, d.code, me, reload).catch((failure) => panel.replaceChildren(element('p', { className: 'error', textContent: problemText(failure) }))); };
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(e); });
      return row;
    }));
  };
  let typing;
  q.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(reload, 250); });
  state.addEventListener('change', reload);
  sharing.addEventListener('change', reload);
  register.addEventListener('click', async () => {
    panel.replaceChildren(await datasetForm(me, null, async (saved) => { await reload(); await detail(panel, saved.code, me, reload); }));
  });
  const headers = ['dataset.title', 'dataset.code', 'dataset.owner', 'dataset.sharing', 'dataset.open', 'dataset.cycle', 'dataset.stateLabel'];
  page.replaceChildren(
    element('h1', { textContent: t('dataset.heading') }),
    element('p', { className: 'muted', textContent: t('dataset.intro') }),
    element('div', { className: 'toolbar' }, [q, state, sharing, register]),
    element('table', { id: 'dataset-list' }, [
      element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: t(h) })))]), list,
    ]),
    panel,
  );
  await reload();
}
