// Patrol tasks on the inspector's phone: each open task folded to its facts; opened, a map of its
// cells (checked ones shaded) to check in from — the phone's position or a tap — and a form to
// finish the task.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { positionFields, problemText } from './report-form.js';
import { timeLeft } from './workbench.js';
import './text-patrol.js';

function postForm(act, fields, submit, send) {
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { className: 'action-form', dataset: { act } }, [...fields, error,
    element('button', { type: 'submit', className: 'primary', textContent: submit })]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    send().catch((e) => { error.textContent = problemText(e); error.hidden = false; });
  });
  return form;
}

function patrolCard(task, cells, done) {
  const open = element('button', { type: 'button', className: 'primary', textContent: t('phone.open'), dataset: { open: task.number } });
  const body = element('div', { className: 'task-body' });
  const card = element('article', { className: 'report-card task patrol', dataset: { number: task.number } }, [
    element('h3', { textContent: `${task.title} · ${task.number}` }),
    element('p', {}, [element('strong', { textContent: t(`patrol.state.${task.state}`) }),
      ` · ${timeLeft({ deadline: task.deadline })} · ${t('patrol.coverage')} ${task.checkedCellIds.length}/${task.cellIds.length}`]),
    task.checklist.length ? element('p', { className: 'muted', textContent: `${t('patrol.checklist')}：${task.checklist.join('；')}` }) : '',
    open, body,
  ]);
  open.addEventListener('click', () => {
    if (body.childElementCount > 0) { body.replaceChildren(); open.textContent = t('phone.open'); return; }
    // One task open at a time: the position fields carry fixed ids.
    for (const other of document.querySelectorAll('article.patrol .task-body')) other.replaceChildren();
    const mine = cells.filter((c) => task.cellIds.includes(c.id));
    const position = positionFields(mine);
    const note = element('input', { id: 'check-in-note' });
    const checkIn = postForm('check-in', [...position.nodes, element('label', { htmlFor: 'check-in-note', textContent: t('patrol.checkInNote') }), note],
      t('patrol.checkIn'), async () => {
        const point = position.read();
        if (!point) throw new Error(t('action.required'));
        const updated = await api(`/patrol-tasks/${task.id}/check-ins`, { method: 'POST', body: { ...point, note: note.value.trim() || undefined } });
        const cell = mine.find((c) => updated.checkedCellIds.at(-1) === c.id);
        done(t('patrol.checkedIn', { cell: cell?.code ?? '' }));
      });
    for (const path of checkIn.querySelectorAll('path.cell')) {
      if (task.checkedCellIds.includes(path.dataset.cell)) path.classList.add('checked');
    }
    const finishNote = element('input', { id: 'finish-note' });
    const finish = postForm('finish', [element('label', { htmlFor: 'finish-note', textContent: t('patrol.finishNote') }), finishNote],
      t('patrol.finish'), async () => {
        await api(`/patrol-tasks/${task.id}/complete`, { method: 'POST', body: { note: finishNote.value.trim() || undefined } });
        done(t('patrol.finished', { number: task.number }));
      });
    body.replaceChildren(checkIn, finish);
    open.textContent = t('phone.close');
  });
  return card;
}

/** The inspector's open patrol tasks, as a section of "my tasks". */
export async function patrolSection(cells, done) {
  const tasks = await api('/patrol-tasks?open=true');
  return element('section', { id: 'patrol-list' }, [
    element('h2', { textContent: t('phone.patrolTasks') }),
    ...(tasks.items.length === 0 ? [element('p', { className: 'muted', textContent: t('phone.noPatrol') })]
      : tasks.items.map((task) => patrolCard(task, cells, done))),
  ]);
}
