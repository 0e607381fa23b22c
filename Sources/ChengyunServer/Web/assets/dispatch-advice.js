// Learned dispatch (智能分拨) in the dispatcher's form: the routing rule that covers the case, or
// the model's top three departments with how sure it is and why; a click picks one in the form's
// department list. A dispatcher who picks another department teaches the next model.
import { api } from './api.js';
import { t } from './i18n.js';
import './text-dispatch.js';
import { element } from './dom.js';

/** The advice for case `caseId` above `select` (the form's departments); nothing if it cannot be read. */
export async function adviceBlock(caseId, select, departments) {
  let advice;
  try {
    advice = await api(`/cases/${caseId}/dispatch-advice`);
  } catch {
    return element('div', { hidden: true });
  }
  const name = (id) => departments.find((d) => d.id === id)?.name ?? id;
  const pick = (ids) => {
    for (const option of select.options) option.selected = ids.includes(option.value);
    select.dispatchEvent(new Event('change'));
  };
  const items = [];
  if (advice.rule) {
    items.push(element('li', {}, [
      t('advice.rule', { departments: advice.rule.departmentIds.map(name).join('、') }), ' ',
      element('button', { type: 'button', className: 'link', textContent: t('advice.pick'), onclick: () => pick(advice.rule.departmentIds) }),
    ]));
  }
  for (const s of advice.suggestions) {
    const reason = s.level === 'text' ? t('advice.reason.text') : t('advice.reason.cases', { agreeing: s.agreeing, cases: s.cases });
    items.push(element('li', { className: 'suggestion', dataset: { department: s.departmentId } }, [
      element('strong', { textContent: name(s.departmentId) }), ` ${Math.round(s.confidence * 100)}% · `,
      element('span', { className: 'muted', textContent: `${t(`advice.level.${s.level}`)}，${reason}` }), ' ',
      element('button', { type: 'button', className: 'link', textContent: t('advice.pick'), onclick: () => pick([s.departmentId]) }),
    ]));
  }
  if (items.length === 0) items.push(element('li', { className: 'muted', textContent: t('advice.none') }));
  const notes = [advice.modelVersion ? t('advice.model', { v: advice.modelVersion }) : null,
    advice.wouldAutoDispatch ? t('advice.auto', { threshold: advice.threshold }) : null].filter(Boolean);
  return element('div', { className: 'dispatch-advice', role: 'group', ariaLabel: t('advice.title') }, [
    element('h4', { textContent: t('advice.title') }), element('ul', {}, items),
    notes.length ? element('p', { className: 'muted', textContent: notes.join(' · ') }) : null,
  ].filter(Boolean));
}
