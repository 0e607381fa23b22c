// The role workbench: "what is waiting for me" (the queue, most urgent first, with time left or
// overdue) and a case's detail — facts, the matter's conditions, photos before and after, the
// timeline — with a form for each action the caller may take now.
import { api } from './api.js';
import { t } from './i18n.js';
import { element, table } from './dom.js';
import { problemText, upload } from './report-form.js';
import { cellsNear, pointMap, visibleCells } from './svgmap.js';
import './text-cases.js';
import { matterCode } from './names.js';
import { adviceBlock } from './dispatch-advice.js';
import { flagBadges, intakeCard, proposalOf } from './intake-checks.js';

let matterCache = null;
async function matters() {
  if (!matterCache) {
    const list = await api('/matters');
    matterCache = new Map((list.items ?? list).map((m) => [m.id, m]));
  }
  return matterCache;
}

/** "2 h 15 min left" / "35 min overdue", from the running stage's deadline. */
export function timeLeft(clock, now = Date.now()) {
  if (!clock || clock.deadline == null) return clock?.suspended ? t('clock.suspended') : '—';
  const minutes = Math.round((clock.deadline - now) / 60000);
  const span = Math.abs(minutes);
  const text = span >= 60 ? t('clock.hours', { h: Math.floor(span / 60), m: span % 60 }) : t('clock.minutes', { m: span });
  return minutes >= 0 ? t('clock.left', { span: text }) : t('clock.overdue', { span: text });
}

function badge(text, kind) {
  return element('span', { className: `badge ${kind}`, textContent: text });
}

export async function queue(page, me) {
  const [answer, byId] = await Promise.all([api('/cases/queue'), matters()]);
  const rows = answer.items;
  const body = rows.length === 0
    ? element('p', { className: 'muted queue-empty', textContent: t('queue.empty') })
    : element('table', { className: 'queue' }, [
      element('thead', {}, [element('tr', {}, [t('case.number'), t('case.matter'), t('case.description'), t('case.state'),
        t('case.urgency'), t('queue.time')].map((h) => element('th', { scope: 'col', textContent: h })))]),
      element('tbody', {}, rows.map(({ case: c, clock, intakeFlags }) => element('tr', { className: `level-${clock?.level ?? 'none'}` }, [
        element('td', {}, [element('a', { href: `#/case/${c.id}`, textContent: c.number })]),
        element('td', { textContent: `${byId.get(c.matterId)?.name ?? ''} ${matterCode(c)}` }),
        element('td', {}, [c.description, ' ', ...flagBadges(intakeFlags)]),
        element('td', {}, [badge(t(`state.${c.state}`), 'state')]),
        element('td', {}, [c.urgency === 'urgent' ? badge(t('urgency.urgent'), 'urgent') : t('urgency.normal')]),
        element('td', { className: 'clock', textContent: timeLeft(clock) }),
      ]))),
    ]);
  page.replaceChildren(
    element('h1', { textContent: t('queue.title') }),
    element('p', { className: 'muted', textContent: t('queue.subtitle', { n: rows.length, roles: me.roles.map((r) => t(`role.${r}`)).join('、') }) }),
    body,
  );
}

/** The fields each action needs beyond a note (docs/domain.md §3). */
const actionFields = {
  verify: ['verified', 'photos'], complete: ['photos'], pass: ['photos'], fail: ['photos'],
  dispatch: ['departments'], requestExtension: ['minutes'], file: ['urgency'], merge: ['duplicateOf'],
  assign: ['inspectorId'],
};

/** The form for one action on case `c`; `onDone` runs once the server has taken it. */
export async function actionForm(c, action, onDone) {
  const fields = actionFields[action] ?? [];
  const id = (name) => `action-${action}-${name}`;
  const controls = [];
  const read = {};
  if (action === 'accept' && c.proposal) {
    // 确认或更正: the matter the model gave a citizen's words, among their category's.
    // The case's own matter always; the category's others that need no field the citizen left empty.
    const category = (await api('/public/categories')).items.find((x) => x.code === c.proposal.category);
    const others = (category?.matters ?? []).filter((m) => m.id !== c.matterId && m.requiredFields.length === 0);
    const select = element('select', { id: id('matter') }, [
      element('option', { value: c.matterId, textContent: `${c.proposal.matterName ?? ''}（${matterCode(c)}）`, selected: true }),
      ...others.map((m) => element('option', { value: m.id, textContent: `${m.name}（${m.code}）` }))]);
    controls.push(element('label', { htmlFor: id('matter'), textContent: t('action.matter') }), select);
    read.matterId = () => (select.value && select.value !== c.matterId ? select.value : undefined);
  }
  if (fields.includes('verified')) {
    const box = element('input', { id: id('verified'), type: 'checkbox', checked: true });
    controls.push(element('label', { className: 'check', htmlFor: id('verified') }, [box, t('action.verified')]));
    read.verified = () => box.checked;
  }
  if (fields.includes('departments')) {
    const list = (await api('/departments?limit=500')).items;
    const select = element('select', { id: id('departments'), multiple: true, required: true, size: Math.min(6, list.length) },
      list.map((d) => element('option', { value: d.id, textContent: d.name })));
    controls.push(await adviceBlock(c.id, select, list));
    controls.push(element('label', { htmlFor: id('departments'), textContent: t('action.departments') }), select);
    read.departmentIds = () => [...select.selectedOptions].map((o) => o.value);
  }
  if (fields.includes('minutes')) {
    const input = element('input', { id: id('minutes'), type: 'number', min: 1, step: 1, required: true, value: 240 });
    controls.push(element('label', { htmlFor: id('minutes'), textContent: t('action.minutes') }), input);
    read.minutes = () => Number.parseInt(input.value, 10);
  }
  if (fields.includes('urgency')) {
    const select = element('select', { id: id('urgency') }, ['normal', 'urgent'].map((u) =>
      element('option', { value: u, textContent: t(`urgency.${u}`), selected: u === c.urgency })));
    controls.push(element('label', { htmlFor: id('urgency'), textContent: t('case.urgency') }), select);
    read.urgency = () => select.value;
  }
  for (const name of ['duplicateOf', 'inspectorId']) {
    if (!fields.includes(name)) continue;
    const input = element('input', { id: id(name), required: true });
    controls.push(element('label', { htmlFor: id(name), textContent: t(`action.${name}`) }), input);
    read[name] = () => input.value.trim();
  }
  let photos = null;
  if (fields.includes('photos')) {
    photos = element('input', { id: id('photos'), type: 'file', accept: 'image/*', multiple: true, capture: 'environment' });
    controls.push(element('label', { htmlFor: id('photos'), textContent: t('action.photos') }), photos);
  }
  const note = element('textarea', { id: id('note'), rows: 2 });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { className: 'action-form', noValidate: true, dataset: { action } }, [
    element('h3', { textContent: t(`action.${action}`) }), ...controls,
    element('label', { htmlFor: id('note'), textContent: t('action.note') }), note, error,
    element('button', { type: 'submit', className: 'primary', textContent: t(`action.${action}`) }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { action };
    for (const [key, value] of Object.entries(read)) body[key] = value();
    if (note.value.trim()) body.note = note.value.trim();
    const missing = Object.entries(body).filter(([, v]) => v === '' || (Array.isArray(v) && v.length === 0) || Number.isNaN(v));
    if (missing.length > 0) {
      error.textContent = t('action.required');
      error.hidden = false;
      return;
    }
    try {
      if (photos && photos.files.length > 0) body.attachments = await upload(photos.files);
      await api(`/cases/${c.id}/actions`, { method: 'POST', body });
      onDone();
    } catch (failure) {
      error.textContent = problemText(failure);
      error.hidden = false;
    }
  });
  return form;
}

/** The case's photos of one phase (before: the report; after: the handling). */
export function photoStrip(detail, phase) {
  const items = detail.attachments.filter((a) => a.phase === phase && a.attachment.contentType.startsWith('image/'));
  if (items.length === 0) return element('p', { className: 'muted', textContent: t('common.empty') });
  return element('div', { className: 'photos' }, items.map((a) =>
    element('img', { src: `/api/v1/cases/${detail.case.id}/attachments/${a.attachment.id}`, alt: a.attachment.name, loading: 'lazy' })));
}

export async function caseDetail(page, me, id) {
  const detail = await api(`/cases/${encodeURIComponent(id)}`);
  const c = detail.case;
  const matter = detail.matter;
  const facts = [
    ['case.number', c.number], ['case.state', t(`state.${c.state}`)], ['case.matter', matter ? `${matter.name}（${matterCode(c)}）` : ''],
    ['case.urgency', t(`urgency.${c.urgency}`)], ['case.source', t(`source.${c.source}`)], ['case.description', c.description],
    ['case.address', c.address ?? '—'], ['case.position', `${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}`],
    ['case.reported', new Date(c.reportedAt).toLocaleString()], ['queue.time', timeLeft(detail.clock)],
    // The matter's own fields, by their labels (and list values by their names).
    ...Object.entries(c.customFields ?? {}).map(([key, value]) => {
      const own = matter?.customFields?.find((f) => f.key === key);
      const names = value.split(',').map((v) => own?.values?.find((x) => x.key === v)?.name ?? v).join('、');
      return [own?.label ?? key, names];
    }),
  ];
  const reload = () => caseDetail(page, me, id);
  c.proposal = proposalOf(detail);
  if (c.proposal) c.proposal.matterName = matter?.name;
  const near = cellsNear(await visibleCells().catch(() => []), [c.lon, c.lat]);
  const forms = [];
  for (const action of detail.allowedActions) forms.push(await actionForm(c, action, reload));
  page.replaceChildren(
    element('p', {}, [element('a', { href: '#/queue', textContent: `← ${t('queue.title')}` })]),
    element('h1', { textContent: `${t('case.title')} ${c.number}` }),
    element('div', { className: 'case-grid' }, [
      element('section', { className: 'card' }, [
        element('dl', { className: 'facts' }, facts.flatMap(([label, value]) => [element('dt', { textContent: t(label) }), element('dd', { textContent: value })])),
        matter ? element('dl', { className: 'facts' }, [
          element('dt', { textContent: t('matter.filing') }), element('dd', { textContent: matter.filingCondition || '—' }),
          element('dt', { textContent: t('matter.closing') }), element('dd', { textContent: matter.closingCondition || '—' }),
        ]) : '',
        near.length > 0 ? pointMap(near, [c.lon, c.lat], { label: t('case.position'), id: 'case-map' }).node : '',
      ]),
      element('section', { className: 'card', id: 'actions' }, [
        element('h2', { textContent: t('case.actions') }),
        intakeCard(detail),
        ...(forms.length > 0 ? forms : [element('p', { className: 'muted', textContent: t('case.noActions') })]),
      ]),
    ]),
    element('section', { className: 'card evidence' }, [
      element('div', {}, [element('h2', { textContent: t('case.before') }), photoStrip(detail, 'before')]),
      element('div', {}, [element('h2', { textContent: t('case.after') }), photoStrip(detail, 'after')]),
    ]),
    element('section', { className: 'card' }, [
      element('h2', { textContent: t('case.timeline') }),
      table([t('audit.time'), t('audit.actor'), t('audit.action'), t('case.state'), t('action.note')], detail.events.map((e) => [
        new Date(e.at).toLocaleString(), e.actorName, t(`action.${e.action}`), `${e.fromState ? t(`state.${e.fromState}`) + ' → ' : ''}${t(`state.${e.toState}`)}`,
        e.note ?? '',
      ])),
    ]),
  );
}
