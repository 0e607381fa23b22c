// Learned dispatch on the routing page: the model's versions with how each routed the newer cases
// it had not seen, and for administrators the policy (auto-dispatch on or off, its threshold, how
// fast old cases fade) and training now. Routing rules, listed below it, still win.
import { api } from './api.js';
import { t, addText } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';

addText({
  zh: {
    'learned.title': '智能分拨（学习模型）',
    'learned.intro': '模型从已结案件和派遣员的改派中学习：事项及其细类、区域、来源和描述用词。没有派遣规则覆盖的案件，模型把握达到阈值时立案即自动派遣；派遣规则优先。每天自动重新训练。',
    'learned.none': '尚未训练：有已结案件后每天自动训练，也可立即训练。',
    'learned.version': '版本', 'learned.trainedAt': '训练时间', 'learned.trigger': '触发', 'learned.examples': '学习案件',
    'learned.accuracy': '准确率', 'learned.top3': '前三命中', 'learned.autoPrecision': '自动派遣准确率',
    'learned.autoCoverage': '自动派遣覆盖', 'learned.matterAccuracy': '事项推荐准确率', 'learned.trigger.schedule': '定时', 'learned.trigger.demand': '手动',
    'learned.heldOut': '准确率按较新 30% 案件计（{n} 件），训练时未见过这些案件。',
    'learned.auto': '自动派遣', 'learned.threshold': '阈值（0.5–1）', 'learned.halfLife': '半衰期（天）',
    'learned.save': '保存策略', 'learned.train': '立即训练', 'learned.saved': '策略已保存', 'learned.trained': '已训练第 {v} 版',
  },
  en: {
    'learned.title': 'Learned dispatch',
    'learned.intro': 'The model learns from closed cases and dispatchers\' corrections: the matter and its sub-types, the area, the channel and the description\'s words. A filed case no routing rule covers is dispatched at once when the model is at least as sure as the threshold; routing rules win. Retrained every day.',
    'learned.none': 'Not trained yet: it trains every day once cases have closed, or now.',
    'learned.version': 'Version', 'learned.trainedAt': 'Trained', 'learned.trigger': 'Trigger', 'learned.examples': 'Cases',
    'learned.accuracy': 'Accuracy', 'learned.top3': 'Top 3', 'learned.autoPrecision': 'Auto precision',
    'learned.autoCoverage': 'Auto coverage', 'learned.matterAccuracy': 'Matter suggestion accuracy', 'learned.trigger.schedule': 'schedule', 'learned.trigger.demand': 'on demand',
    'learned.heldOut': 'Accuracy on the newer 30 % of cases ({n}), unseen in training.',
    'learned.auto': 'Dispatch automatically', 'learned.threshold': 'Threshold (0.5–1)', 'learned.halfLife': 'Half-life (days)',
    'learned.save': 'Save policy', 'learned.train': 'Train now', 'learned.saved': 'Policy saved', 'learned.trained': 'Trained version {v}',
  },
});

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
