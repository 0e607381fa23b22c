// What the emergency pages share: the roles, how levels and times read, the task reports open
// in each status, and a small posting form.
import { element } from './dom.js';
import { problemText } from './report-form.js';

export const when = (ms) => (ms ? new Date(ms).toLocaleString() : '—');
export const numeral = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ' };
export const levels = ['I', 'II', 'III', 'IV'];
export const commanders = ['supervisor', 'leader', 'admin'];
export const reporters = ['intake', 'supervisor', 'dispatcher', 'leader', 'admin'];
export const dispatchers = ['supervisor', 'dispatcher', 'leader', 'admin'];

/** The reports an owner may make on a task in each status. */
export const taskEventsFrom = {
  assigned: ['accept'], accepted: ['start', 'block', 'complete'], inProgress: ['block', 'complete'], blocked: ['resume'],
};

export const has = (me, roles) => me.roles.some((r) => roles.includes(r));
export const field = (id, label, input) => [element('label', { htmlFor: id, textContent: label }), Object.assign(input, { id })];
export const select = (options, value) => element('select', {}, options.map(([v, text]) => element('option', { value: v, textContent: text, selected: v === value })));

/** A form that posts with `send()` and reports `done(answer)` in `status`, or the error under it. */
export function actionForm(act, fields, label, send, done, status) {
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { className: 'action-form', dataset: { act } }, [...fields, element('button', { type: 'submit', textContent: label }), error]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    send().then((answer) => { status.textContent = done(answer); }, (e) => { error.textContent = problemText(e); error.hidden = false; });
  });
  return form;
}
