// Labelled form controls for the editors, and problem+json errors shown beside the field they name.
import { ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';

let serial = 0;

/** Why a field's text is not a value; thrown by a control's `read`, shown beside it. */
export class FieldError extends Error {}

function textInput(field, value, type = 'text') {
  const input = element('input', { type, value: value ?? '', required: !!field.required, autocomplete: 'off' });
  if (field.pattern) input.pattern = field.pattern;
  if (field.placeholder) input.placeholder = field.placeholder;
  return { input, read: () => input.value.trim() };
}

function numberInput(field, value) {
  const input = element('input', { type: 'number', value: value ?? '', step: field.step ?? 'any', required: !!field.required });
  return { input, read: () => {
    if (input.value.trim() === '') return '';
    const number = Number(input.value);
    if (Number.isNaN(number)) throw new FieldError(t('form.notNumber'));
    return number;
  } };
}

function select(field, value) {
  const options = [...(field.required ? [] : [{ value: '', label: field.emptyLabel ?? '—' }]), ...field.options()];
  const input = element('select', { required: !!field.required }, options.map((o) =>
    element('option', { value: o.value, textContent: o.label, selected: o.value === (value ?? '') })));
  return { input, read: () => input.value };
}

function checks(field, value) {
  const chosen = new Set(value ?? []);
  const boxes = field.options().map((o) => element('input', { type: 'checkbox', value: o.value, checked: chosen.has(o.value) }));
  const input = element('fieldset', { className: 'checks' }, boxes.map((box, i) =>
    element('label', { className: 'check' }, [box, field.options()[i].label])));
  return { input, focus: boxes[0], read: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

function bool(field, value) {
  const input = element('input', { type: 'checkbox', checked: value ?? field.default ?? false });
  return { input, read: () => input.checked };
}

function area(field, value) {
  const input = element('textarea', { rows: field.rows ?? 3, value: value ?? '', required: !!field.required });
  if (field.placeholder) input.placeholder = field.placeholder;
  return { input, read: () => input.value.trim() };
}

/** One value per line (dates, names); blank lines dropped. */
function lines(field, value) {
  const input = element('textarea', { rows: field.rows ?? 4, value: (value ?? []).join('\n') });
  if (field.placeholder) input.placeholder = field.placeholder;
  return { input, read: () => input.value.split(/[\n,，]/).map((s) => s.trim()).filter(Boolean) };
}

/** Structured values an admin may write as JSON (rule conditions, custom fields). */
function json(field, value) {
  const input = element('textarea', { rows: field.rows ?? 6, className: 'code', spellcheck: false,
    value: value === undefined || value === null ? '' : JSON.stringify(value, null, 2) });
  return { input, read: () => {
    if (input.value.trim() === '') return '';
    try { return JSON.parse(input.value); } catch (error) { throw new FieldError(t('form.badJson', { detail: error.message })); }
  } };
}

const kinds = { text: textInput, password: (f, v) => textInput(f, v, 'password'), number: numberInput, select, checks, bool, textarea: area, lines, json };

/**
 * A labelled control for `field` ({ key, label, type, required, options, hint, custom }) with the
 * value `value`; `read()` gives its value or throws FieldError, `fail(text)` shows an error under it.
 */
export function control(field, value) {
  const id = `f${++serial}-${field.key}`;
  const made = field.type === 'custom' ? field.custom(value) : kinds[field.type ?? 'text'](field, value);
  const target = made.focus ?? made.input;
  target.id = id;
  const message = element('span', { className: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  const hint = field.hint ? element('span', { className: 'muted hint', textContent: t(field.hint) }) : '';
  const label = element('label', { htmlFor: id, textContent: `${t(field.label)}${field.required ? ' *' : ''}` });
  const node = element('div', { className: `field field-${field.type ?? 'text'}`, dataset: { key: field.key } }, [label, made.input, hint, message]);
  const fail = (text) => {
    message.textContent = text;
    message.hidden = !text;
    target.setAttribute('aria-invalid', text ? 'true' : 'false');
    if (text) target.setAttribute('aria-describedby', message.id);
  };
  return { field, node, read: made.read, fail, focus: () => target.focus() };
}

/**
 * Reads every control into a body: empty optional values are left out, required ones reported.
 * Returns null (and shows the errors) when something is missing or malformed.
 */
export function readAll(controls) {
  const body = {};
  let first = null;
  for (const c of controls) {
    c.fail('');
    try {
      const value = c.read();
      const empty = value === '' || (Array.isArray(value) && value.length === 0);
      if (empty && c.field.required) throw new FieldError(t('form.required'));
      if (!empty || c.field.keepEmpty) (c.field.put ?? ((b, v) => { b[c.field.key] = v; }))(body, empty ? c.field.emptyValue ?? null : value);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      c.fail(error.message);
      first ??= c;
    }
  }
  first?.focus();
  return first ? null : body;
}

/** On submit: reads the controls, hands the body to `send`, and shows a refusal beside the fields it names. */
export function onSubmit(form, controls, general, send) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    general.hidden = true;
    const body = readAll(controls);
    if (!body) return;
    try {
      await send(body);
    } catch (failure) {
      showProblem(failure, controls, general);
    }
  });
}

/** A conflict that belongs to one field (the server names it by code, not by field). */
const conflictField = { duplicate_code: 'code', duplicate_username: 'username', duplicate_phone: 'phone' };

/** The server's message in the page's language when the code has a translation, else as sent. */
function explain(code, message) {
  const key = `problem.${code}`;
  const text = t(key);
  return text === key ? message : text;
}

/** Shows a refusal: each named field's message beside it, the rest in `general`. */
export function showProblem(failure, controls, general) {
  const problem = failure instanceof ApiError ? failure.problem : null;
  const issues = [...(problem?.errors ?? [])];
  if (issues.length === 0 && conflictField[failure.code]) issues.push({ field: conflictField[failure.code], code: failure.code, message: failure.message });
  const unplaced = [];
  for (const issue of issues) {
    const c = controls.find((x) => issue.field === x.field.key || issue.field?.startsWith(`${x.field.key}.`) || issue.field?.startsWith(`${x.field.key}[`));
    const text = explain(issue.code, issue.message);
    if (c) c.fail(text); else unplaced.push(`${issue.field}: ${text}`);
  }
  const detail = unplaced.length > 0 ? unplaced.join('；') : (issues.length > 0 ? '' : explain(failure.code, failure.message));
  general.textContent = detail ? t('form.refused', { detail }) : t('form.fix');
  general.hidden = false;
}
