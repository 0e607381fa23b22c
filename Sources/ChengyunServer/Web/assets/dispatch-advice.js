// Learned dispatch (智能分拨) in the dispatcher's form: the routing rule that covers the case, or
// the model's top three departments with how sure it is and why; a click picks one in the form's
// department list. A dispatcher who picks another department teaches the next model.
import { api } from './api.js';
import { t, addText } from './i18n.js';
import { element } from './dom.js';

addText({
  zh: {
    'advice.title': '智能分拨建议', 'advice.rule': '派遣规则已指定：{departments}', 'advice.none': '暂无可参考的历史案件',
    'advice.pick': '选用', 'advice.model': '模型第 {v} 版', 'advice.auto': '达到自动派遣阈值 {threshold}',
    'advice.reason.cases': '{agreeing}/{cases} 件同类已结案件由该部门处置', 'advice.reason.text': '依据问题描述的用词',
    'advice.level.matter_fields': '同事项同细类', 'advice.level.matter_fields_area': '同事项同区域',
    'advice.level.matter_field_prefix': '同事项同大类', 'advice.level.matter_source': '同事项同渠道',
    'advice.level.matter': '同事项', 'advice.level.category_area': '同大类同区域', 'advice.level.category': '同大类',
    'advice.level.text': '描述相近',
  },
  en: {
    'advice.title': 'Suggested departments', 'advice.rule': 'A routing rule names: {departments}',
    'advice.none': 'No past cases to go by yet', 'advice.pick': 'Use', 'advice.model': 'model v{v}',
    'advice.auto': 'at or above the auto-dispatch threshold {threshold}',
    'advice.reason.cases': '{agreeing} of {cases} like closed cases went to this department',
    'advice.reason.text': 'from the words of the description',
    'advice.level.matter_fields': 'same matter and sub-type', 'advice.level.matter_fields_area': 'same matter in this area',
    'advice.level.matter_field_prefix': 'same matter and type', 'advice.level.matter_source': 'same matter and channel',
    'advice.level.matter': 'same matter', 'advice.level.category_area': 'same category in this area',
    'advice.level.category': 'same category', 'advice.level.text': 'similar description',
  },
});

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
