// The inspector's phone page (监督员, 360 px): report a problem found on patrol — category searched
// by name, photos from the camera, position from the phone or a tap on the map of the patch — and
// work "my tasks": the verifications and checks sent to me, with the same evidence upload, and my
// patrol tasks, checked in cell by cell.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { customFields, field, matterPicker, positionFields, problemText, reportBody, showError, upload } from './report-form.js';
import { currentTab, signedIn, signInForm, startPage } from './phone-shell.js';
import { cellsNear, pointMap, visibleCells } from './svgmap.js';
import { actionForm, photoStrip, timeLeft } from './workbench.js';
import { patrolSection } from './patrol-phone.js';
import { emergencySection } from './emergency-phone.js';
import './text-cases.js';
import './text-phone.js';
import { matterCode } from './names.js';

const state = { me: null };
const main = document.getElementById('phone');

async function whoAmI() {
  state.me = await signedIn('staff');
  const who = document.getElementById('phone-who');
  who.hidden = !state.me;
  who.textContent = state.me?.displayName ?? '';
  document.getElementById('phone-logout').hidden = !state.me;
}

function loginForm() {
  return signInForm({
    id: 'phone-login', heading: element('h2', { textContent: t('phone.login') }), path: '/session', submit: t('login.submit'),
    inputs: [{ key: 'username', id: 'phone-username', label: t('login.username'), autocomplete: 'username', autocapitalize: 'none' },
      { key: 'password', id: 'phone-password', label: t('login.password'), type: 'password', autocomplete: 'current-password' }],
    onDone: async () => { await whoAmI(); render(); },
  });
}

async function reportPage() {
  const [matters, cells] = await Promise.all([api('/matters'), visibleCells()]);
  const extra = customFields();
  const matter = matterPicker(matters.items.filter((m) => m.active).map((m) => ({ ...m, code: matterCode(m) }))
    .sort((a, b) => a.code.localeCompare(b.code)), extra.show);
  const description = element('textarea', { id: 'description', rows: 3, required: true });
  const address = element('input', { id: 'address' });
  const urgent = element('input', { id: 'urgent', type: 'checkbox' });
  const position = positionFields(cells);
  const photos = element('input', { id: 'photos', type: 'file', accept: 'image/*', capture: 'environment', multiple: true });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const result = element('div', { id: 'report-result', role: 'status' });
  const form = element('form', { id: 'report-form', className: 'card', noValidate: true }, [
    ...matter.nodes, extra.node, ...field('photos', t('phone.photos'), photos),
    ...field('description', t('portal.description'), description), ...field('address', t('portal.address'), address),
    ...position.nodes,
    element('label', { className: 'check', htmlFor: 'urgent' }, [urgent, t('phone.urgent')]),
    error, element('button', { type: 'submit', className: 'primary', textContent: t('portal.submit') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const { body, missing } = reportBody(
      { matter, description, position, address, extra }, { urgency: urgent.checked ? 'urgent' : 'normal' });
    if (missing) return showError(error, missing);
    try {
      if (photos.files.length > 0) body.attachments = await upload(photos.files);
      const outcome = await api('/cases', { method: 'POST', body });
      result.replaceChildren(
        element('p', { className: 'ok', textContent: t('phone.reported', { number: outcome.case.number, state: t(`state.${outcome.case.state}`) }) }),
        outcome.mergedInto ? element('p', { textContent: t('phone.merged', { number: outcome.mergedInto.number }) }) : '',
      );
      result.dataset.number = outcome.case.number;
      form.reset();
      result.scrollIntoView({ block: 'nearest' });
    } catch (failure) {
      showError(error, t('portal.error', { detail: problemText(failure) }));
    }
  });
  main.replaceChildren(form, result);
}

/** A task folded to its facts; opened, it shows the photos, the place and the forms for it. */
function taskCard({ case: c, clock }, byId, cells, done) {
  const open = element('button', { type: 'button', className: 'primary', textContent: t('phone.open'), dataset: { open: c.number } });
  const body = element('div', { className: 'task-body' });
  const card = element('article', { className: `report-card task level-${clock?.level ?? 'none'}`, dataset: { number: c.number } }, [
    element('h3', { textContent: `${byId.get(c.matterId)?.name ?? ''} · ${c.number}` }),
    element('p', {}, [element('strong', { textContent: t(`state.${c.state}`) }), ` · ${timeLeft(clock)}${c.urgency === 'urgent' ? ` · ${t('urgency.urgent')}` : ''}`]),
    element('p', { textContent: c.description }),
    c.address ? element('p', { className: 'muted', textContent: c.address }) : '',
    open, body,
  ]);
  open.addEventListener('click', async () => {
    if (body.childElementCount > 0) { body.replaceChildren(); open.textContent = t('phone.open'); return; }
    const detail = await api(`/cases/${c.id}`);
    const near = cellsNear(cells, [c.lon, c.lat]);
    const forms = await Promise.all(detail.allowedActions.map((action) => actionForm(c, action, () => done(c.number))));
    body.replaceChildren(
      element('h4', { textContent: t('case.before') }), photoStrip(detail, 'before'),
      ...(c.state === 'checking' ? [element('h4', { textContent: t('case.after') }), photoStrip(detail, 'after')] : []),
      near.length > 0 ? pointMap(near, [c.lon, c.lat], { label: t('case.position') }).node : '',
      ...forms,
    );
    open.textContent = t('phone.close');
  });
  return card;
}

async function tasksPage(notice = '') {
  const [queue, matters, cells] = await Promise.all([api('/cases/queue'), api('/matters'), visibleCells()]);
  const byId = new Map(matters.items.map((m) => [m.id, m]));
  const tasks = queue.items.filter(({ case: c }) => c.state === 'verifying' || c.state === 'checking');
  const done = (number) => tasksPage(t('phone.done', { number }));
  const patrols = await patrolSection(cells, (message) => tasksPage(message));
  main.replaceChildren(
    element('p', { id: 'tasks-status', className: 'ok', role: 'status', textContent: notice }),
    element('p', { className: 'muted', textContent: t('phone.tasksIntro') }),
    ...(tasks.length === 0 ? [element('p', { className: 'muted tasks-empty', textContent: t('phone.tasksEmpty') })]
      : tasks.map((task) => taskCard(task, byId, cells, done))),
    patrols,
    element('p', {}, [element('a', { href: '/', textContent: t('phone.workbench') })]),
  );
}

async function emergencyPage(notice = '') {
  const section = await emergencySection((message) => emergencyPage(message));
  main.replaceChildren(element('p', { id: 'em-phone-status', className: 'ok', role: 'status', textContent: notice }), ...section);
}

async function render() {
  const tab = currentTab('report');
  if (!state.me) {
    main.replaceChildren(element('p', { className: 'muted', textContent: t('phone.notStaff') }), loginForm());
    return;
  }
  try {
    if (tab === 'tasks') await tasksPage();
    else if (tab === 'emergency') await emergencyPage();
    else await reportPage();
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) { state.me = null; render(); return; }
    main.replaceChildren(element('p', { className: 'error', textContent: t('common.error', { detail: failure.message }) }));
  }
}

document.getElementById('phone-logout').addEventListener('click', async () => {
  await api('/session', { method: 'DELETE' }).catch(() => {});
  await whoAmI();
  render();
});
startPage(whoAmI, render);
