// The intake checks beside a report: signs that it may be invalid (无效事件监测: empty or
// repetitive text, the same text again, no department for the matter here, a reporter refused
// before) and the open cases it may repeat (智能合并线索) with their score and reasons. A flag
// never drops a report; "merge into" only fills the merge form, the operator still submits it.
import { t } from './i18n.js';
import './text-intake.js';
import { element } from './dom.js';
import { categoryName } from './category-picker.js';

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
