// The crew's side of an emergency on the phone (应急任务): the open tasks of my department in
// active incidents — accept, start, report blocked, complete — and my department's resources at
// work, each with its incident and scene — set out, arrive, leave, back at base — sent with the
// phone's position.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { positionFields, problemText, upload } from './report-form.js';
import { taskEventsFrom, when } from './emergency-forms.js';
import './text-emergency.js';


function eventButton(label, event, send, error) {
  const button = element('button', { type: 'button', className: 'primary', textContent: label, dataset: { event } });
  button.addEventListener('click', () => {
    error.hidden = true;
    send().catch((e) => { error.textContent = problemText(e); error.hidden = false; });
  });
  return button;
}

function taskCard(task, incident, done) {
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  // Photos of the work go with the next report on the task.
  const photos = element('input', { id: `em-photos-${task.id}`, type: 'file', accept: 'image/*', capture: 'environment', multiple: true });
  const buttons = (taskEventsFrom[task.status] ?? []).map((event) => eventButton(t(`taskEvent.${event}`), event, async () => {
    const reason = event === 'block' ? prompt(t('em.blockReason')) : undefined;
    if (event === 'block' && !reason) return;
    const attachments = photos.files.length > 0 ? await upload(photos.files) : undefined;
    await api(`/emergency/incidents/${task.incidentId}/tasks/${task.id}/events`, { method: 'POST', body: { event, reason, attachments } });
    done(t('em.phone.taskDone', { step: task.title, state: t(`taskEvent.${event}`) }));
  }, error));
  return element('article', { className: 'report-card task em-task', dataset: { step: task.stepCode, status: task.status } }, [
    element('h3', { textContent: `${task.title} · ${incident?.number ?? ''}` }),
    element('p', {}, [element('strong', { textContent: t(`task.${task.status}`) }), ` · ${t('em.deadline')} ${when(task.deadline)}`]),
    incident ? element('p', { className: 'muted', textContent: `${incident.title}${incident.address ? ` · ${incident.address}` : ''}` }) : '',
    element('label', { htmlFor: photos.id, textContent: t('em.phone.photos') }), photos,
    element('div', { className: 'actions' }, buttons), error,
  ]);
}

function crewCard({ resource, incident, openEvents }, position, done) {
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const buttons = openEvents.map((event) => eventButton(t(`crewEvent.${event}`), event, async () => {
    // Where the crew is goes with setting out and arriving; back at base is the resource's home.
    const point = ['depart', 'arrive'].includes(event) ? position.read() : null;
    const moved = await api(`/emergency/incidents/${incident.id}/resources/${resource.id}/events`, { method: 'POST', body: { event, ...(point ?? {}) } });
    done(t('em.phone.moved', { code: moved.code, status: t(`resource.${moved.status}`) }));
  }, error));
  const scene = `${incident.scene.lon.toFixed(5)}, ${incident.scene.lat.toFixed(5)}`;
  return element('article', { className: 'report-card task em-crew', dataset: { resource: resource.code, status: resource.status } }, [
    element('h3', { textContent: `${resource.code} ${resource.name}` }),
    element('p', {}, [element('strong', { textContent: t(`resource.${resource.status}`) }), ` · ${incident.number} ${incident.title}`]),
    element('p', { className: 'muted', textContent: `${t('em.phone.scene')}：${incident.address ?? ''} (${scene})` }),
    element('div', { className: 'actions' }, buttons), error,
  ]);
}

/** The emergency tab: my department's tasks and crews; `done(message)` redraws the tab with it. */
export async function emergencySection(done) {
  const [tasks, crews] = await Promise.all([api('/emergency/tasks'), api('/emergency/crews')]);
  const ids = [...new Set(tasks.items.map((task) => task.incidentId))];
  const boards = await Promise.all(ids.map((id) => api(`/emergency/incidents/${id}`)));
  const incidents = new Map(boards.map((board) => [board.incident.id, board.incident]));
  const position = positionFields();
  return [
    element('h2', { textContent: t('em.phone.tasks') }),
    ...(tasks.items.length === 0 ? [element('p', { className: 'muted', textContent: t('em.phone.noTasks') })]
      : tasks.items.map((task) => taskCard(task, incidents.get(task.incidentId), done))),
    element('h2', { textContent: t('em.phone.crews') }),
    ...(crews.items.length === 0 ? [element('p', { className: 'muted', textContent: t('em.phone.noCrews') })] : [
      element('section', { className: 'card', id: 'crew-position' }, [element('p', { className: 'muted', textContent: t('em.phone.position') }), ...position.nodes]),
      ...crews.items.map((crew) => crewCard(crew, position, done)),
    ]),
  ];
}
