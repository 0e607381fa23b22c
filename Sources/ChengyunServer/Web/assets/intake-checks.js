// The intake checks beside a report: signs that it may be invalid (无效事件监测: empty or
// repetitive text, the same text again, no department for the matter here, a reporter refused
// before) and the open cases it may repeat (智能合并线索) with their score and reasons. A flag
// never drops a report; "merge into" only fills the merge form, the operator still submits it.
import { t, addText } from './i18n.js';
import { element } from './dom.js';
import { categoryName } from './category-picker.js';

addText({
  zh: {
    'intake.flags': '无效事件提示', 'intake.duplicates': '可能重复的案件', 'intake.noDuplicates': '附近没有可能重复的在办案件',
    'intake.flag.empty_text': '描述为空或无实际内容', 'intake.flag.repetitive_text': '描述为重复字符',
    'intake.flag.repeated_report': '同一报告人近期重复提交相同内容', 'intake.flag.no_department': '本区域无负责该事项的部门',
    'intake.flag.rejected_reporter': '该报告人此前的上报多次不予立案或作废',
    'intake.score': '相似度 {score}', 'intake.same': '同一事项', 'intake.related': '关联事项',
    'intake.distance': '相距 {m} 米', 'intake.hours': '间隔 {h} 小时', 'intake.text': '描述相似 {p}%',
    'intake.fields': '以下字段不同：{fields}', 'intake.mergeInto': '合并到此案件',
    'intake.proposal': '市民选择「{category}」，{how}：{matter}。受理时请确认或更正。',
    'intake.byModel': '模型建议事项（把握 {p}%）', 'intake.byCategory': '按该类默认事项', 'action.matter': '事项（确认或更正）',
  },
  en: {
    'intake.flags': 'May be invalid', 'intake.duplicates': 'Possible duplicates', 'intake.noDuplicates': 'No open case nearby that this may repeat',
    'intake.flag.empty_text': 'no real description', 'intake.flag.repetitive_text': 'the description repeats itself',
    'intake.flag.repeated_report': 'the same reporter sent the same words recently', 'intake.flag.no_department': 'no department handles this matter here',
    'intake.flag.rejected_reporter': "the reporter's earlier reports were refused or voided",
    'intake.score': 'score {score}', 'intake.same': 'same matter', 'intake.related': 'related matter',
    'intake.distance': '{m} m apart', 'intake.hours': '{h} h apart', 'intake.text': 'descriptions {p}% alike',
    'intake.fields': 'differs in: {fields}', 'intake.mergeInto': 'Merge into this case',
    'intake.proposal': 'The citizen chose "{category}"; {how}: {matter}. Confirm or correct it when accepting.',
    'intake.byModel': 'the model proposes ({p}% sure)', 'intake.byCategory': "the category's usual matter",
    'action.matter': 'Matter (confirm or correct)',
  },
});

/** What the model proposed for a citizen's report under a category (its first history line), or null. */
export function proposalOf(detail) {
  try {
    const facts = JSON.parse(detail.events[0]?.detail ?? 'null');
    return facts?.category ? facts : null;
  } catch {
    return null;
  }
}

/** A flag in words, with what it rests on. */
export function flagText(flag) {
  return t(`intake.flag.${flag.code}`) + (flag.detail ? `（${flag.detail}）` : '');
}

/** Small badges for a queue row. */
export function flagBadges(flags) {
  return (flags ?? []).map((flag) => element('span', { className: 'badge flag', title: flagText(flag), textContent: t(`intake.flag.${flag.code}`) }));
}

/** Why a match may be the same problem, in words. */
function reasons(match) {
  const parts = [t(`intake.${match.relation}`), t('intake.distance', { m: Math.round(match.distanceMetres) }),
    t('intake.hours', { h: Math.round(match.hoursApart * 10) / 10 })];
  if (match.textSimilarity != null) parts.push(t('intake.text', { p: Math.round(match.textSimilarity * 100) }));
  if (match.differingFields.length > 0) parts.push(t('intake.fields', { fields: match.differingFields.join('、') }));
  return parts.join(' · ');
}

/** The block above a report's action forms at intake; nothing when there is nothing to say. */
export function intakeCard(detail) {
  const flags = detail.intakeFlags ?? [];
  const duplicates = detail.possibleDuplicates ?? [];
  const atIntake = ['reported', 'verifying', 'filing'].includes(detail.case.state);
  if (flags.length === 0 && duplicates.length === 0 && !atIntake) return '';
  const proposal = proposalOf(detail);
  const how = proposal?.proposedBy === 'category' ? t('intake.byCategory') : t('intake.byModel', { p: Math.round(Number(proposal?.confidence ?? 0) * 100) });
  const mergeInput = () => document.getElementById('action-merge-duplicateOf');
  return element('div', { className: 'intake-checks', id: 'intake-checks' }, [
    proposal && atIntake ? element('p', { className: 'proposal', textContent: t('intake.proposal', { category: categoryName(proposal.category), how, matter: proposal.matter }) }) : '',
    flags.length > 0 ? element('div', {}, [
      element('h3', { textContent: t('intake.flags') }),
      element('ul', { className: 'flags' }, flags.map((flag) => element('li', { dataset: { flag: flag.code }, textContent: flagText(flag) }))),
    ]) : '',
    element('h3', { textContent: t('intake.duplicates') }),
    duplicates.length === 0 ? element('p', { className: 'muted', textContent: t('intake.noDuplicates') })
      : element('ul', { className: 'duplicates' }, duplicates.map((d) => element('li', { dataset: { case: d.caseId } }, [
        element('a', { href: `#/case/${d.caseId}`, textContent: d.number }), ` ${d.matterCode} · `,
        element('strong', { textContent: t('intake.score', { score: d.match.score.toFixed(2) }) }),
        element('p', { className: 'muted', textContent: `${reasons(d.match)} — ${d.description}` }),
        detail.allowedActions.includes('merge') ? element('button', {
          type: 'button', className: 'link', textContent: t('intake.mergeInto'),
          onclick: () => {
            const input = mergeInput();
            if (!input) return;
            input.value = d.caseId;
            input.scrollIntoView({ block: 'center' });
            input.focus();
          },
        }) : '',
      ]))),
  ]);
}
