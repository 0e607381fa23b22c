// The work calendar behind every case clock: working periods per weekday, public holidays and
// make-up working days (调休), time zone. Administrators change it; the clocks follow at once.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { control, FieldError, onSubmit } from './forms.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "08:30-12:00, 14:00-18:00" ⇄ [{ start, end }]; an empty text is a day off. */
const periodsText = (periods) => periods.map((p) => `${p.start}-${p.end}`).join(', ');
function parsePeriods(text) {
  if (text.trim() === '') return [];
  return text.split(/[,，;；\s]+/).filter(Boolean).map((part) => {
    const match = /^([0-2]\d:[0-5]\d)[-–~～]([0-2]\d:[0-5]\d)$/.exec(part);
    if (!match || match[1] >= match[2]) throw new FieldError(t('calendar.badPeriod', { part }));
    return { start: match[1], end: match[2] };
  });
}

function weekControl(value) {
  const inputs = weekdays.map((day, i) => element('input', { value: periodsText(value?.[i] ?? []), ariaLabel: t(`weekday.${day}`), dataset: { day }, placeholder: t('calendar.dayOff') }));
  const input = element('div', { className: 'week' }, weekdays.map((day, i) => element('label', { className: 'weekday' }, [t(`weekday.${day}`), inputs[i]])));
  return { input, focus: inputs[0], read: () => inputs.map((i) => parsePeriods(i.value)) };
}

function yearSummary(calendar) {
  const years = new Map();
  const bump = (date, key) => {
    const year = date.slice(0, 4);
    const entry = years.get(year) ?? { holidays: 0, makeUp: 0 };
    entry[key] += 1;
    years.set(year, entry);
  };
  for (const d of calendar.holidays ?? []) bump(d, 'holidays');
  for (const d of calendar.makeUpWorkdays ?? []) bump(d, 'makeUp');
  return element('ul', { className: 'year-summary' }, [...years.entries()].sort().map(([year, n]) =>
    element('li', { textContent: t('calendar.year', { year, holidays: n.holidays, makeUp: n.makeUp }) })));
}

export async function calendar(page, me, notice = '') {
  const current = await api('/calendar');
  const admin = me.roles.includes('admin');
  const fields = [
    { key: 'name', label: 'areas.name', required: true },
    { key: 'timeZone', label: 'calendar.timeZone', required: true },
    { key: 'utcOffsetMinutes', label: 'calendar.offset', type: 'number', step: 1, required: true },
    { key: 'weekPeriods', label: 'calendar.week', type: 'custom', custom: weekControl, required: true, hint: 'calendar.weekHint' },
    { key: 'holidays', label: 'calendar.holidays', type: 'lines', rows: 8, keepEmpty: true, emptyValue: [], hint: 'calendar.datesHint' },
    { key: 'makeUpWorkdays', label: 'calendar.makeUp', type: 'lines', rows: 4, keepEmpty: true, emptyValue: [], hint: 'calendar.datesHint' },
    { key: 'makeUpPeriods', label: 'calendar.makeUpPeriods', type: 'text', keepEmpty: true, emptyValue: [],
      get: (c) => periodsText(c.makeUpPeriods ?? []), put: (body, text) => { body.makeUpPeriods = parsePeriods(text); } },
  ];
  const controls = fields.map((f) => control(f, f.get ? f.get(current) : current[f.key]));
  const general = element('p', { className: 'error', role: 'alert', hidden: true });
  const status = element('p', { id: 'admin-status', className: 'ok', role: 'status', textContent: notice });
  const form = element('form', { className: 'card editor-form', id: 'calendar-form', noValidate: true }, [
    element('div', { className: 'editor-fields' }, controls.map((c) => c.node)), general,
    admin ? element('button', { type: 'submit', className: 'primary', textContent: t('admin.save') }) : '',
  ]);
  if (!admin) for (const node of form.querySelectorAll('input, textarea, select')) node.disabled = true;
  onSubmit(form, controls, general, async (body) => {
    await api('/calendar', { method: 'PUT', body });
    await calendar(page, me, t('calendar.saved'));
  });
  page.replaceChildren(element('h1', { textContent: t('calendar.title') }),
    element('p', { className: 'muted', textContent: t('calendar.intro') }), yearSummary(current), status, form);
}
