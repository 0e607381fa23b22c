// Patrol tasks (巡查任务) in the workbench: supervisors and dispatchers send an inspector round
// cells of their patch with a checklist by a deadline, follow coverage and check-ins, and call a
// task off; leaders read along and may order a late task sped up from the warnings page.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';
import { timeLeft } from './workbench.js';
import './text-patrol.js';

const when = (ms) => new Date(ms).toLocaleString();
const assigners = ['supervisor', 'dispatcher', 'admin'];

function detailRows(detail, cells) {
  const code = new Map(cells.map((c) => [c.id, c.code]));
  return element('div', { className: 'patrol-detail' }, [
    element('p', { textContent: `${t('patrol.cells')}：${detail.task.cellIds.map((id) => code.get(id) ?? id).join('、')}` }),
    detail.task.checklist.length ? element('p', { textContent: `${t('patrol.checklist')}：${detail.task.checklist.join('；')}` }) : '',
    element('h4', { textContent: t('patrol.checkIns') }),
    detail.checkIns.length === 0 ? element('p', { className: 'muted', textContent: t('patrol.noCheckIns') })
      : element('ul', {}, detail.checkIns.map((c) => element('li', { textContent: `${when(c.at)} · ${c.cellCode}${c.note ? ` · ${c.note}` : ''}` }))),
    detail.task.note ? element('p', { className: 'reply', textContent: `${t('patrol.note')}：${detail.task.note}` }) : '',
    ...detail.orders.map((o) => element('p', { className: 'muted', textContent: `${o.number} · ${t(`supervision.state.${o.state}`)}` })),
  ]);
}

function taskRow(task, cells, me, refresh) {
  const open = element('button', { type: 'button', textContent: t('patrol.open'), dataset: { open: task.number } });
  const body = element('td', { colSpan: 6 });
  const detailRow = element('tr', { className: 'patrol-body', hidden: true }, [body]);
  const clock = task.state === 'assigned' || task.state === 'inProgress' ? timeLeft({ deadline: task.deadline }) : t(`patrol.state.${task.state}`);
  const row = element('tr', { dataset: { number: task.number, state: task.state } }, [
    element('td', { textContent: task.number }),
    element('td', { textContent: task.title }),
    element('td', { textContent: task.inspectorName }),
    element('td', { className: 'coverage', textContent: `${Math.round(task.coverage * 100)}%（${task.checkedCellIds.length}/${task.cellIds.length}）` }),
    element('td', { textContent: `${t(`patrol.state.${task.state}`)} · ${clock}` }),
    element('td', {}, [open]),
  ]);
  open.addEventListener('click', async () => {
    if (!detailRow.hidden) { detailRow.hidden = true; return; }
    const detail = await api(`/patrol-tasks/${task.id}`);
    body.replaceChildren(detailRows(detail, cells));
    if (me.roles.some((r) => assigners.includes(r)) && (task.state === 'assigned' || task.state === 'inProgress')) {
      const id = `cancel-${task.id}`;
      const note = element('input', { id });
      const error = element('p', { className: 'error', role: 'alert', hidden: true });
      const form = element('form', { className: 'action-form', dataset: { act: 'cancel' } }, [
        element('label', { htmlFor: id, textContent: t('patrol.cancelReason') }), note,
        element('button', { type: 'submit', textContent: t('patrol.cancel') }), error,
      ]);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        api(`/patrol-tasks/${task.id}/cancel`, { method: 'POST', body: { note: note.value.trim() || undefined } })
          .then(() => refresh(t('patrol.cancelled', { number: task.number })), (e) => { error.textContent = problemText(e); error.hidden = false; });
      });
      body.append(form);
    }
    detailRow.hidden = false;
  });
  return [row, detailRow];
}

function createForm(inspectors, cells, refresh) {
  const title = element('input', { id: 'patrol-title', required: true });
  const checklist = element('textarea', { id: 'patrol-checklist', rows: 3, placeholder: t('patrol.checklistHint') });
  const inspector = element('select', { id: 'patrol-inspector', required: true },
    [element('option', { value: '', textContent: '—' }), ...inspectors.map((i) => element('option', { value: i.id, textContent: i.displayName }))]);
  const soon = new Date(Date.now() + 4 * 3600_000);
  const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const deadline = element('input', { id: 'patrol-deadline', type: 'datetime-local', value: local, required: true });
  const cellBox = element('fieldset', { id: 'patrol-cells', className: 'cell-picks' }, [element('legend', { textContent: t('patrol.pickCells') })]);
  const showCells = () => {
    const chosen = inspectors.find((i) => i.id === inspector.value);
    const mine = chosen ? cells.filter((c) => c.areaPath.startsWith(chosen.areaPath)).sort((a, b) => a.code.localeCompare(b.code)) : [];
    cellBox.replaceChildren(element('legend', { textContent: t('patrol.pickCells') }),
      ...(mine.length === 0 ? [element('p', { className: 'muted', textContent: t('patrol.pickInspector') })]
        : mine.map((c) => element('label', { className: 'check' }, [element('input', { type: 'checkbox', value: c.id, name: 'cell' }), `${c.code} ${c.name}`]))));
  };
  inspector.addEventListener('change', showCells);
  showCells();
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { id: 'patrol-form', className: 'card' }, [
    element('h2', { textContent: t('patrol.new') }),
    element('label', { htmlFor: 'patrol-title', textContent: t('patrol.taskTitle') }), title,
    element('label', { htmlFor: 'patrol-inspector', textContent: t('patrol.inspector') }), inspector,
    element('label', { htmlFor: 'patrol-deadline', textContent: t('patrol.deadline') }), deadline,
    element('label', { htmlFor: 'patrol-checklist', textContent: t('patrol.checklist') }), checklist,
    cellBox, error,
    element('button', { type: 'submit', className: 'primary', textContent: t('patrol.send') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = {
      title: title.value.trim(), inspectorId: inspector.value, deadline: new Date(deadline.value).getTime(),
      checklist: checklist.value.split('\n').map((s) => s.trim()).filter(Boolean),
      cells: [...cellBox.querySelectorAll('input[name=cell]:checked')].map((box) => box.value),
    };
    if (!body.title || !body.inspectorId || body.cells.length === 0 || Number.isNaN(body.deadline)) {
      error.textContent = t('patrol.required');
      error.hidden = false;
      return;
    }
    try {
      const task = await api('/patrol-tasks', { method: 'POST', body });
      await refresh(t('patrol.sent', { number: task.number, name: task.inspectorName }));
    } catch (e) {
      error.textContent = problemText(e);
      error.hidden = false;
    }
  });
  return form;
}

export async function patrol(page, me, notice = '') {
  const assigner = me.roles.some((r) => assigners.includes(r));
  const [tasks, cells, inspectors] = await Promise.all([
    api('/patrol-tasks'), api('/grid-cells?limit=500'), assigner ? api('/patrol-tasks/inspectors') : Promise.resolve({ items: [] }),
  ]);
  const refresh = (message = '') => patrol(page, me, message);
  const rows = tasks.items.flatMap((task) => taskRow(task, cells.items, me, refresh));
  page.replaceChildren(
    element('h1', { textContent: t('patrol.title') }),
    element('p', { id: 'patrol-status', className: 'ok', role: 'status', textContent: notice }),
    assigner ? createForm(inspectors.items, cells.items, refresh) : '',
    element('section', { className: 'card' }, [
      element('h2', { textContent: `${t('patrol.tasks')}（${tasks.items.length}）` }),
      rows.length === 0 ? element('p', { className: 'muted', textContent: t('patrol.none') })
        : element('table', { id: 'patrol-tasks' }, [
          element('thead', {}, [element('tr', {}, ['patrol.number', 'patrol.taskTitle', 'patrol.inspector', 'patrol.coverage', 'patrol.stateCol', '']
            .map((key) => element('th', { scope: 'col', textContent: key ? t(key) : '' })))]),
          element('tbody', {}, rows)]),
    ]),
  );
}
