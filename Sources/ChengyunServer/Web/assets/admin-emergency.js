// Emergency configuration for administrators: the resource registry (应急资源: register vehicles,
// teams, equipment, shelters and depots, with their department, team and vehicle terminal) and the
// plan editor (应急预案: a plan's file opened, edited, checked as a whole and saved as its next
// version, or a new one imported), every version listed.
import { all, api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { enumOptions, optionsOf, resourcePage } from './admin.js';
import { nameOf } from './names.js';
import { problemText } from './report-form.js';
import './text-emergency.js';

const kinds = ['vehicle', 'team', 'equipment', 'shelter', 'depot'];

export const emergencyResources = resourcePage({
  title: 'admin.emResources',
  intro: 'admin.emResourcesIntro',
  context: async () => ({ departments: await all('/departments'), resources: (await api('/emergency/resources')).items }),
  load: async (ctx) => ctx.resources,
  key: (r) => r.code,
  columns: [
    ['areas.code', (r) => r.code], ['areas.name', (r) => r.name], ['admin.resKind', (r) => t(`resKind.${r.kind}`)],
    ['admin.capabilities', (r) => r.capabilities.join('、')], ['em.status', (r) => t(`resource.${r.status}`)],
    ['admin.department', (r, ctx) => (r.departmentId ? nameOf(ctx.departments, r.departmentId) : '')],
    ['admin.team', (r, ctx) => ctx.resources.find((x) => x.id === r.teamId)?.code ?? ''],
    ['admin.tracked', (r) => (r.trackerDeviceId ? t('admin.yes') : '')],
  ],
  fields: (ctx) => [
    { key: 'code', label: 'areas.code', required: true },
    { key: 'name', label: 'areas.name', required: true },
    { key: 'kind', label: 'admin.resKind', type: 'select', required: true, options: enumOptions(kinds, 'resKind') },
    { key: 'capabilities', label: 'admin.capabilities', type: 'lines', rows: 2, required: true, hint: 'admin.capabilitiesHint' },
    { key: 'lon', label: 'em.lon', type: 'number', required: true },
    { key: 'lat', label: 'em.lat', type: 'number', required: true },
    { key: 'departmentId', label: 'admin.department', type: 'select', options: optionsOf(ctx.departments.filter((d) => d.active)) },
    { key: 'teamId', label: 'admin.team', type: 'select', options: optionsOf(ctx.resources.filter((r) => r.kind === 'team'), (r) => `${r.name}（${r.code}）`) },
    { key: 'trackerDevice', label: 'admin.tracker', hint: 'admin.trackerHint' },
  ],
  create: (body) => api('/emergency/resources', { method: 'POST', body }),
});

/** The plan editor: the plans and their versions, and a plan's file to check and save. */
export async function emergencyPlans(page, me) {
  const plans = (await api('/emergency/plans')).items;
  const text = element('textarea', { id: 'plan-file', rows: 24, className: 'code', spellcheck: false });
  const status = element('p', { id: 'plan-status', role: 'status' });
  const issues = element('ul', { id: 'plan-issues', className: 'error' });
  const versions = element('ul', { id: 'plan-versions' });
  const open = async (code) => {
    text.value = JSON.stringify(await api(`/emergency/plans/${encodeURIComponent(code)}`), null, 1);
    versions.replaceChildren(...(await api(`/emergency/plans/${encodeURIComponent(code)}/versions`)).items.map((v) =>
      element('li', { textContent: `v${v.version} · ${v.name} · ${new Date(v.createdAt).toLocaleString()}` })));
    status.textContent = t('admin.planOpened', { code });
    issues.replaceChildren();
  };
  const file = element('input', { id: 'plan-import', type: 'file', accept: 'application/json,.json' });
  file.addEventListener('change', async () => { if (file.files[0]) text.value = await file.files[0].text(); });
  const save = element('button', { type: 'button', className: 'primary', textContent: t('admin.planSave'), dataset: { act: 'save-plan' } });
  save.addEventListener('click', async () => {
    issues.replaceChildren();
    let body;
    try { body = JSON.parse(text.value); } catch (error) { status.textContent = t('form.badJson', { detail: error.message }); return; }
    try {
      const saved = await api('/emergency/plans', { method: 'POST', body });
      status.textContent = t('admin.planSaved', { code: saved.code, version: saved.version });
      await open(saved.code);
      status.textContent = t('admin.planSaved', { code: saved.code, version: saved.version });
    } catch (failure) {
      status.textContent = problemText(failure);
      issues.replaceChildren(...(failure.problem?.errors ?? []).map((e) => element('li', { dataset: { field: e.field }, textContent: `${e.field}：${e.message}` })));
    }
  });
  const rows = plans.map((p) => {
    const button = element('button', { type: 'button', textContent: t('admin.planOpen'), dataset: { plan: p.code } });
    button.addEventListener('click', () => open(p.code).catch((e) => { status.textContent = problemText(e); }));
    return element('tr', { dataset: { key: p.code } }, [
      element('td', { textContent: p.code }), element('td', { textContent: p.name }), element('td', { textContent: p.incidentType }),
      element('td', { textContent: `v${p.version}` }), element('td', {}, [button]),
    ]);
  });
  const admin = me.roles.includes('admin');
  page.replaceChildren(
    element('h1', { textContent: t('admin.emPlans') }),
    element('p', { className: 'muted', textContent: t('admin.emPlansIntro') }),
    element('table', { className: 'admin-table', id: 'plan-list' }, [
      element('thead', {}, [element('tr', {}, [t('areas.code'), t('areas.name'), t('em.type'), t('admin.planVersion'), ''].map((h) => element('th', { scope: 'col', textContent: h })))]),
      element('tbody', {}, rows),
    ]),
    element('section', { className: 'card' }, [
      element('label', { htmlFor: text.id, textContent: t('admin.planFile') }), text,
      ...(admin ? [element('label', { htmlFor: file.id, textContent: t('admin.planImport') }), file, save] : []),
      status, issues,
      element('h3', { textContent: t('admin.planVersions') }), versions,
    ]),
  );
}
