// Operations configuration: routing rules (matter × area → departments), device kinds, alarm rules.
import { all, api } from './api.js';
import { t } from './i18n.js';
import { FieldError } from './forms.js';
import { enumOptions, optionsOf, resourcePage } from './admin.js';
import { matterCode, nameOf } from './names.js';
import { learnedDispatchPanel } from './admin-dispatch.js';

const severities = ['red', 'orange', 'yellow', 'blue'];

export const routingRules = resourcePage({
  title: 'admin.routing',
  intro: 'admin.routingIntro',
  before: learnedDispatchPanel,
  context: async () => ({ areas: await all('/areas'), departments: await all('/departments'), matters: (await api('/matters')).items }),
  load: async () => (await api('/routing-rules')).items,
  key: (r) => r.id,
  columns: [
    ['admin.matter', (r, ctx) => (r.matterId ? nameOf(ctx.matters, r.matterId) : t('admin.fallback'))],
    ['admin.area', (r, ctx) => nameOf(ctx.areas, r.areaId)],
    ['admin.departments', (r, ctx) => r.departmentIds.map((id) => nameOf(ctx.departments, id)).join('、')],
  ],
  fields: (ctx) => [
    { key: 'matterId', label: 'admin.matter', type: 'select', emptyLabel: t('admin.fallback'),
      options: optionsOf(ctx.matters.filter((m) => m.active !== false), (m) => `${m.name}（${matterCode(m)}）`) },
    { key: 'areaId', label: 'admin.area', type: 'select', required: true, options: optionsOf(ctx.areas) },
    { key: 'departmentIds', label: 'admin.departments', type: 'checks', required: true, options: optionsOf(ctx.departments.filter((d) => d.active)) },
  ],
  create: (body) => api('/routing-rules', { method: 'POST', body }),
  remove: (r) => api(`/routing-rules/${r.id}`, { method: 'DELETE' }),
});

/** Metrics written one per line as "key, name, unit". */
const metricsField = {
  key: 'metrics', label: 'admin.metrics', type: 'lines', rows: 4, required: true, hint: 'admin.metricsHint',
  put: (body, rows) => {
    body.metrics = rows.map((row) => {
      const [key, name, unit] = row.split(/\s*[;；|]\s*|\s*,\s*/);
      if (!key || !name || unit === undefined) throw new FieldError(t('admin.badMetric', { row }));
      return { key, name, unit };
    });
  },
};

export const deviceKinds = resourcePage({
  title: 'admin.deviceKinds',
  load: async () => (await api('/device-kinds')).items,
  key: (k) => k.code,
  columns: [
    ['areas.code', (k) => k.code], ['areas.name', (k) => k.name], ['admin.nameEn', (k) => k.nameEn],
    ['admin.metrics', (k) => k.metrics.map((m) => `${m.name} ${m.key}${m.unit ? ` (${m.unit})` : ''}`).join('、')],
    ['admin.defaultRules', (k) => (k.defaultRules ?? []).map((r) => r.name).join('、')],
    ['admin.builtIn', (k) => (k.builtIn ? t('admin.yes') : '')],
  ],
  fields: () => [
    { key: 'code', label: 'areas.code', required: true, hint: 'admin.kindCodeHint' },
    { key: 'name', label: 'areas.name', required: true },
    { key: 'nameEn', label: 'admin.nameEn', required: true },
    metricsField,
    { key: 'tracksPosition', label: 'admin.tracksPosition', type: 'bool' },
    { key: 'defaultRules', label: 'admin.defaultRules', type: 'json', hint: 'admin.rulesHint' },
  ],
  create: (body) => api('/device-kinds', { method: 'POST', body: { ...body, builtIn: false } }),
});

function conditionText(c) {
  if (c.type === 'threshold') return `${c.metric} ${c.direction === 'below' ? '<' : '>'} ${c.levels.map((l) => `${l.value}(${t(`severity.${l.severity}`)})`).join(' / ')}`;
  if (c.type === 'rate') return `${c.metric} Δ/min > ${c.maxChangePerMinute}`;
  if (c.type === 'noData') return t('admin.noData', { n: c.minutes });
  if (c.type === 'stuck') return t('admin.stuck', { metric: c.metric, n: c.minutes });
  if (c.type === 'geofence') return t('admin.geofence', { n: c.zones.length, when: c.alarmWhen });
  return `${c.type === 'all' ? 'AND' : 'OR'}(${c.conditions.map(conditionText).join(', ')})`;
}

export const alarmRules = resourcePage({
  title: 'admin.alarmRules',
  intro: 'admin.alarmRulesIntro',
  context: async () => ({ areas: await all('/areas'), kinds: (await api('/device-kinds')).items, matters: (await api('/matters')).items }),
  load: async () => (await api('/alarm-rules')).items,
  key: (r) => r.name,
  columns: [
    ['areas.name', (r) => r.name], ['admin.kind', (r, ctx) => ctx.kinds.find((k) => k.code === r.kindCode)?.name ?? r.kindCode],
    ['admin.scope', (r, ctx) => r.deviceId ?? (r.areaPath ? ctx.areas.find((a) => a.path === r.areaPath)?.name : t('admin.everywhere'))],
    ['admin.condition', (r) => conditionText(r.condition)], ['admin.severity', (r) => t(`severity.${r.severity}`)],
    ['admin.opensCase', (r) => r.matterCode ?? ''], ['admin.enabled', (r) => (r.enabled ? t('admin.yes') : t('admin.no'))],
  ],
  fields: (ctx) => [
    { key: 'name', label: 'areas.name', required: true },
    { key: 'kindCode', label: 'admin.kind', type: 'select', on: 'create', required: true,
      options: () => ctx.kinds.map((k) => ({ value: k.code, label: `${k.name}（${k.code}）` })) },
    { key: 'deviceId', label: 'admin.device', hint: 'admin.deviceHint' },
    { key: 'areaId', label: 'admin.area', type: 'select', emptyLabel: t('admin.everywhere'), options: optionsOf(ctx.areas),
      get: (r) => ctx.areas.find((a) => a.path === r.areaPath)?.id },
    { key: 'severity', label: 'admin.severity', type: 'select', required: true, options: enumOptions(severities, 'severity') },
    { key: 'condition', label: 'admin.condition', type: 'json', rows: 8, required: true, hint: 'admin.conditionHint',
      initial: { type: 'threshold', metric: '', direction: 'above', levels: [{ value: 0, severity: 'yellow' }], hysteresis: 0, forSeconds: 0 } },
    { key: 'matterCode', label: 'admin.opensCase', type: 'select', emptyLabel: t('admin.noCase'),
      options: () => ctx.matters.map((m) => ({ value: matterCode(m), label: `${m.name}（${matterCode(m)}）` })) },
    { key: 'enabled', label: 'admin.enabled', type: 'bool', default: true },
  ],
  create: (body) => api('/alarm-rules', { method: 'POST', body }),
  update: (r, body) => api(`/alarm-rules/${r.id}`, { method: 'PUT', body: { ...body, kindCode: r.kindCode } }),
});
