// The parts of a report form that the citizen portal and the inspector's phone page share: the
// matter picker searched by name or code, the position (GPS, typed, or a tap on the map), and the
// photo upload that turns files into attachment ids.
import { ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { pointMap } from './svgmap.js';
import './text-portal.js';

/** A label and its control. */
export function field(id, label, control) {
  return [element('label', { htmlFor: id, textContent: label }), control];
}

/** The matter list narrowed as one types a name or a code (e.g. "垃圾", "E0102"); `onChange` hears the choice. */
export function matterPicker(matters, onChange = () => {}) {
  const search = element('input', { id: 'matter-search', type: 'search', placeholder: t('portal.matterSearch'), autocomplete: 'off' });
  const picker = element('select', { id: 'matter', required: true, size: 6, ariaLabel: t('portal.matter') });
  const chosen = () => matters.find((m) => m.id === picker.value) ?? null;
  const fill = () => {
    const text = search.value.trim();
    const shown = matters.filter((m) => !text || m.name.includes(text) || m.code.includes(text.toUpperCase()));
    const before = picker.value;
    picker.replaceChildren(...shown.map((m) => element('option', { value: m.id, textContent: `${m.name}（${m.code}）` })));
    if (shown.length === 1) picker.value = shown[0].id;
    if (picker.value !== before) onChange(chosen());
  };
  search.addEventListener('input', fill);
  picker.addEventListener('change', () => onChange(chosen()));
  fill();
  return { nodes: [...field('matter-search', t('portal.matter'), search), picker], value: () => picker.value };
}

/** One control per datatype of a matter's own fields (Open311 attribute types); `read` gives the text sent. */
function customControl(f) {
  const id = `cf-${f.key}`;
  const label = `${f.label}${f.required ? ' *' : ''}`;
  if (f.datatype === 'multivaluelist') {
    const boxes = f.values.map((v) => element('input', { type: 'checkbox', value: v.key }));
    return { nodes: [element('fieldset', { className: 'checks', id }, [element('legend', { textContent: label }),
      ...boxes.map((box, i) => element('label', { className: 'check' }, [box, f.values[i].name]))])],
    read: () => boxes.filter((b) => b.checked).map((b) => b.value).join(',') };
  }
  let input;
  if (f.datatype === 'singlevaluelist') {
    input = element('select', { id }, [element('option', { value: '', textContent: '—' }),
      ...f.values.map((v) => element('option', { value: v.key, textContent: v.name }))]);
  } else if (f.datatype === 'text') {
    input = element('textarea', { id, rows: 2 });
  } else {
    const type = { number: 'number', datetime: 'datetime-local' }[f.datatype] ?? 'text';
    input = element('input', { id, type, step: 'any' });
  }
  const read = () => (f.datatype === 'datetime' && input.value ? new Date(input.value).toISOString() : input.value.trim());
  return { nodes: field(id, label, input), read };
}

/** The chosen matter's own fields ("井盖状况"), redrawn when the matter changes. */
export function customFields() {
  const box = element('div', { className: 'custom-fields', id: 'custom-fields' });
  let controls = [];
  return {
    node: box,
    show: (matter) => {
      controls = (matter?.customFields ?? []).map((f) => ({ f, ...customControl(f) }));
      box.replaceChildren(...controls.flatMap((c) => c.nodes));
    },
    /** Puts the filled fields into a report's body; the message naming required ones left empty, or ''. */
    fill: (body) => {
      const values = {}, missing = [];
      for (const { f, read } of controls) {
        const value = read();
        if (value) values[f.key] = value; else if (f.required) missing.push(f.label);
      }
      if (Object.keys(values).length > 0) body.customFields = values;
      return missing.length > 0 ? t('portal.missingFields', { fields: missing.join('、') }) : '';
    },
  };
}

/**
 * Longitude and latitude: typed, from the browser's position, or (given `cells`) a tap on a map
 * of them. `read()` gives { lon, lat } or null while either is missing.
 */
export function positionFields(cells = null) {
  const lon = element('input', { id: 'lon', inputMode: 'decimal', required: true });
  const lat = element('input', { id: 'lat', inputMode: 'decimal', required: true });
  const locate = element('button', { type: 'button', id: 'locate', textContent: t('portal.locate') });
  const status = element('p', { className: 'muted', role: 'status' });
  const show = (point) => { lon.value = point[0].toFixed(6); lat.value = point[1].toFixed(6); };
  const map = cells && cells.length > 0 ? pointMap(cells, null, { onPick: show, label: t('portal.tapMap'), id: 'pick-map' }) : null;
  const typed = () => {
    const point = [Number.parseFloat(lon.value), Number.parseFloat(lat.value)];
    if (map && !point.some(Number.isNaN)) map.setPoint(point);
  };
  lon.addEventListener('change', typed);
  lat.addEventListener('change', typed);
  locate.addEventListener('click', () => {
    status.textContent = t('portal.locating');
    navigator.geolocation?.getCurrentPosition(
      (position) => { show([position.coords.longitude, position.coords.latitude]); typed(); status.textContent = ''; },
      () => { status.textContent = t('portal.noLocation'); }, { enableHighAccuracy: true, timeout: 10000 });
  });
  const nodes = [
    element('div', { className: 'row' }, [element('div', {}, field('lon', t('portal.lon'), lon)), element('div', {}, field('lat', t('portal.lat'), lat))]),
    locate, status,
    ...(map ? [element('p', { className: 'muted hint', textContent: t('portal.tapMap') }), map.node] : []),
  ];
  return {
    nodes,
    read: () => {
      const point = { lon: Number.parseFloat(lon.value), lat: Number.parseFloat(lat.value) };
      return Number.isNaN(point.lon) || Number.isNaN(point.lat) ? null : point;
    },
  };
}

/** Uploads files as attachments (multipart); their ids, to name in a report or an action. */
export async function upload(files) {
  const data = new FormData();
  for (const file of files) data.append('file', file, file.name);
  const response = await fetch('/api/v1/attachments', { method: 'POST', body: data, credentials: 'same-origin' });
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload.items.map((a) => a.id);
}

/** A refusal's field messages in one line. */
export function problemText(failure) {
  const issues = failure instanceof ApiError ? (failure.problem?.errors ?? []) : [];
  return issues.length > 0 ? issues.map((i) => `${i.field}: ${i.message}`).join('；') : failure.message;
}

/** The body of a report from the form's shared parts (with `more` fields), or the message to show
 *  when something it needs is missing. */
export function reportBody({ matter, description, position, address, extra }, more = {}) {
  const point = position.read();
  const body = { matterId: matter.value(), description: description.value.trim(), ...point, ...more };
  if (address.value.trim()) body.address = address.value.trim();
  const missing = extra.fill(body);
  if (missing) return { missing };
  if (!body.matterId || !body.description || !point) return { missing: t('action.required') };
  return { body };
}

/** Shows a form's error line. */
export function showError(error, text) {
  error.textContent = text;
  error.hidden = false;
}
