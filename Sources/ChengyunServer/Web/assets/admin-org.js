// The organisation's pages: areas, grid cells, departments, users and roles.
import { all, api, ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { FieldError } from './forms.js';
import { enumOptions, optionsOf, resourcePage } from './admin.js';
import { nameOf } from './names.js';

const levels = ['city', 'district', 'street', 'community'];
const roles = ['inspector', 'intake', 'supervisor', 'dispatcher', 'handler', 'leader', 'admin'];
export const departmentKinds = ['sanitation', 'municipal', 'landscaping', 'enforcement', 'traffic', 'water', 'drainage', 'gas',
  'power', 'telecom', 'heating', 'housing', 'environment', 'emergency', 'transport', 'other'];

function locateForm() {
  const lon = element('input', { id: 'locate-lon', inputMode: 'decimal', value: '120.5625' });
  const lat = element('input', { id: 'locate-lat', inputMode: 'decimal', value: '31.2765' });
  const result = element('p', { id: 'locate-result', role: 'status' });
  const form = element('form', { className: 'inline-form' }, [
    element('label', { htmlFor: 'locate-lon', textContent: t('areas.lon') }), lon,
    element('label', { htmlFor: 'locate-lat', textContent: t('areas.lat') }), lat,
    element('button', { type: 'submit', className: 'primary', textContent: t('areas.find') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const cell = await api(`/grid-cells/locate?lon=${encodeURIComponent(lon.value)}&lat=${encodeURIComponent(lat.value)}`);
      result.textContent = t('areas.found', { name: cell.name, code: cell.code });
    } catch (error) {
      result.textContent = error instanceof ApiError && error.status === 404 ? t('areas.notFound') : error.message;
    }
  });
  return element('section', { className: 'card' }, [element('h2', { textContent: t('areas.locate') }), form, result]);
}

export const areas = resourcePage({
  title: 'areas.title',
  context: async () => ({ areas: await all('/areas'), cells: await all('/grid-cells') }),
  load: async (ctx) => [...ctx.areas].sort((a, b) => a.code.localeCompare(b.code)),
  key: (a) => a.code,
  columns: [
    ['areas.code', (a) => a.code],
    ['areas.name', (a) => `${'　'.repeat(levels.indexOf(a.level))}${a.name}`],
    ['areas.level', (a) => t(`level.${a.level}`)],
    ['areas.cells', (a, ctx) => (a.level === 'community' ? String(ctx.cells.filter((c) => c.areaId === a.id).length) : '')],
  ],
  fields: (ctx) => [
    { key: 'code', label: 'areas.code', on: 'create', required: true, hint: 'admin.areaCodeHint' },
    { key: 'name', label: 'areas.name', required: true },
    { key: 'level', label: 'areas.level', type: 'select', on: 'create', required: true, options: enumOptions(levels, 'level') },
    { key: 'parentId', label: 'admin.parent', type: 'select', on: 'create', options: optionsOf(ctx.areas.filter((a) => a.level !== 'community')) },
  ],
  create: (body) => api('/areas', { method: 'POST', body }),
  update: (area, body) => api(`/areas/${area.id}`, { method: 'PATCH', body }),
  before: () => [locateForm()],
});

/** A polygon written as one "longitude, latitude" vertex per line; the ring is closed for the admin. */
const polygonField = {
  key: 'geometry', label: 'admin.vertices', type: 'lines', rows: 6, hint: 'admin.verticesHint',
  get: (cell) => cell.geometry.coordinates[0].slice(0, -1).map(([lon, lat]) => `${lon}, ${lat}`),
  put: (body, rows) => {
    const points = rows.map((row) => row.split(/[\s,;]+/).filter(Boolean).map(Number));
    if (points.some((p) => p.length !== 2 || p.some(Number.isNaN))) throw new FieldError(t('admin.badVertex'));
    if (points.length < 3) throw new FieldError(t('admin.fewVertices'));
    body.geometry = { type: 'Polygon', coordinates: [[...points, points[0]]] };
  },
};

export const gridCells = resourcePage({
  title: 'admin.cells',
  intro: 'admin.cellsIntro',
  context: async () => ({ areas: await all('/areas') }),
  load: async () => (await all('/grid-cells')).sort((a, b) => a.code.localeCompare(b.code)),
  key: (c) => c.code,
  columns: [
    ['areas.code', (c) => c.code], ['areas.name', (c) => c.name], ['admin.community', (c, ctx) => nameOf(ctx.areas, c.areaId)],
    ['admin.size', (c) => `${(c.areaSquareMetres / 10000).toFixed(2)} ha`],
  ],
  fields: () => [
    { key: 'code', label: 'areas.code', on: 'create', required: true, hint: 'admin.cellCodeHint' },
    { key: 'name', label: 'areas.name', required: true },
    { ...polygonField, required: true },
  ],
  create: (body) => api('/grid-cells', { method: 'POST', body }),
  update: (cell, body) => api(`/grid-cells/${cell.id}`, { method: 'PATCH', body }),
  remove: (cell) => api(`/grid-cells/${cell.id}`, { method: 'DELETE' }),
});

export const departments = resourcePage({
  title: 'departments.title',
  context: async () => ({ areas: await all('/areas') }),
  load: async () => (await all('/departments')).sort((a, b) => a.code.localeCompare(b.code)),
  key: (d) => d.code,
  columns: [
    ['areas.code', (d) => d.code], ['areas.name', (d) => d.name], ['departments.kind', (d) => t(`deptKind.${d.kind}`)],
    ['admin.area', (d, ctx) => nameOf(ctx.areas, d.areaId)], ['departments.phone', (d) => d.phone ?? ''],
    ['users.state', (d) => (d.active ? t('users.active') : t('users.inactive'))],
  ],
  fields: (ctx) => [
    { key: 'code', label: 'areas.code', on: 'create', required: true },
    { key: 'name', label: 'areas.name', required: true },
    { key: 'kind', label: 'departments.kind', type: 'select', required: true, options: enumOptions(departmentKinds, 'deptKind') },
    { key: 'areaId', label: 'admin.area', type: 'select', on: 'create', required: true, options: optionsOf(ctx.areas) },
    { key: 'phone', label: 'departments.phone' },
    { key: 'active', label: 'users.active', type: 'bool', on: 'edit' },
  ],
  create: (body) => api('/departments', { method: 'POST', body }),
  update: (d, body) => api(`/departments/${d.id}`, { method: 'PATCH', body }),
});

export const users = resourcePage({
  title: 'users.title',
  context: async () => ({ areas: await all('/areas'), departments: await all('/departments') }),
  load: async () => all('/users'),
  key: (u) => u.username,
  columns: [
    ['users.username', (u) => u.username], ['users.name', (u) => u.displayName],
    ['users.roles', (u) => u.roles.map((r) => t(`role.${r}`)).join('、')],
    ['admin.area', (u, ctx) => nameOf(ctx.areas, u.areaId)],
    ['admin.department', (u, ctx) => (u.departmentId ? nameOf(ctx.departments, u.departmentId) : '')],
    ['users.state', (u) => ((u.lockedUntil ?? 0) > Date.now() ? t('users.locked') : (u.active ? t('users.active') : t('users.inactive')))],
  ],
  fields: (ctx) => [
    { key: 'username', label: 'users.username', on: 'create', required: true },
    { key: 'displayName', label: 'users.name', required: true },
    { key: 'password', label: 'login.password', type: 'password', on: 'create', required: true, hint: 'admin.passwordHint' },
    { key: 'roles', label: 'users.roles', type: 'checks', required: true, options: enumOptions(roles, 'role') },
    { key: 'areaId', label: 'admin.scope', type: 'select', required: true, options: optionsOf(ctx.areas) },
    { key: 'departmentId', label: 'admin.department', type: 'select', options: optionsOf(ctx.departments) },
    { key: 'phone', label: 'departments.phone' },
    { key: 'active', label: 'users.active', type: 'bool', on: 'edit' },
  ],
  create: (body) => api('/users', { method: 'POST', body }),
  update: (u, body) => api(`/users/${u.id}`, { method: 'PATCH', body }),
  actions: [
    { name: 'password', label: 'admin.resetPassword', fields: [{ key: 'password', label: 'admin.newPassword', type: 'password', required: true, hint: 'admin.passwordHint' }],
      run: (u, body) => api(`/users/${u.id}/password`, { method: 'PUT', body }) },
    { name: 'unlock', label: 'admin.unlock', when: (u) => (u.lockedUntil ?? 0) > Date.now() || u.failedAttempts > 0,
      run: (u) => api(`/users/${u.id}/unlock`, { method: 'POST' }) },
  ],
});
