// Learned dispatch on the routing page: the model's versions with how each routed the newer cases
// it had not seen, and for administrators the policy (auto-dispatch on or off, its threshold, how
// fast old cases fade) and training now. Routing rules, listed below it, still win.
import { api } from './api.js';
import { t } from './i18n.js';
import './text-dispatch.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';

const percent = (x) => `${Math.round(x * 1000) / 10}%`;

/** The panel above the routing rules (`before` of the routing page). */
export async function learnedDispatchPanel(page, me, ctx, done) {
  let policy;
  let versions;
  try {
    [policy, versions] = await Promise.all([api('/dispatch/policy'), api('/dispatch/models')]);
  } catch {
    return [];
  }
  const rows = versions.items;
  const head = ['learned.version', 'learned.trainedAt', 'learned.trigger', 'learned.examples', 'learned.accuracy',
    'learned.top3', 'learned.autoPrecision', 'learned.autoCoverage', 'learned.matterAccuracy'];
  const listing = rows.length === 0 ? element('p', { className: 'muted', textContent: t('learned.none') })
    : element('table', { className: 'admin-table learned-versions' }, [
      element('thead', {}, [element('tr', {}, head.map((h) => element('th', { scope: 'col', textContent: t(h) })))]),
      element('tbody', {}, rows.map((v) => element('tr', { dataset: { version: v.version } }, [
        `v${v.version}`, new Date(v.trainedAt).toLocaleString(), t(`learned.trigger.${v.triggerKind}`), String(v.examples),
        percent(v.accuracy), percent(v.top3Accuracy), `${percent(v.autoPrecision)} @ ${v.threshold}`, percent(v.autoCoverage),
        v.matterAccuracy == null ? '—' : percent(v.matterAccuracy),
      ].map((text) => element('td', { textContent: text }))))),
    ]);
  const nodes = [element('h2', { textContent: t('learned.title') }),
    element('p', { className: 'muted', textContent: t('learned.intro') }), listing];
  if (rows.length > 0) nodes.push(element('p', { className: 'muted', textContent: t('learned.heldOut', { n: rows[0].heldOutCases }) }));
  if (me.roles.includes('admin')) nodes.push(policyForm(policy, done));
  return [element('section', { className: 'card learned-dispatch' }, nodes)];
}

function policyForm(policy, done) {
  const auto = element('input', { id: 'learned-auto', type: 'checkbox', checked: policy.autoDispatch });
  const threshold = element('input', { id: 'learned-threshold', type: 'number', min: 0.5, max: 1, step: 0.01, value: policy.threshold });
  const halfLife = element('input', { id: 'learned-half-life', type: 'number', min: 7, max: 3650, step: 1, value: policy.halfLifeDays });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const fail = (failure) => { error.textContent = problemText(failure); error.hidden = false; };
  const train = element('button', { type: 'button', textContent: t('learned.train'), dataset: { act: 'train' } });
  train.addEventListener('click', async () => {
    train.disabled = true;
    try { done(t('learned.trained', { v: (await api('/dispatch/models', { method: 'POST' })).version })); } catch (e) { fail(e); train.disabled = false; }
  });
  const form = element('form', { className: 'learned-policy', noValidate: true }, [
    element('label', { className: 'check', htmlFor: 'learned-auto' }, [auto, t('learned.auto')]),
    element('label', { htmlFor: 'learned-threshold', textContent: t('learned.threshold') }), threshold,
    element('label', { htmlFor: 'learned-half-life', textContent: t('learned.halfLife') }), halfLife, error,
    element('div', { className: 'buttons' }, [element('button', { type: 'submit', className: 'primary', textContent: t('learned.save') }), train]),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { autoDispatch: auto.checked, threshold: Number(threshold.value), halfLifeDays: Number(halfLife.value) };
    try { await api('/dispatch/policy', { method: 'PUT', body }); done(t('learned.saved')); } catch (e) { fail(e); }
  });
  return form;
}
