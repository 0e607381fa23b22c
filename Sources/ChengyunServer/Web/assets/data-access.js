// Exchange (数据交换): apply for access to a published dataset, decide on applications (the
// owner department, then the operation centre for conditional sharing), collect a grant's key
// for a system, and read a grant's use and access log. The server judges every step again.
import { api, all } from './api.js';
import { t } from './i18n.js';
import { element, table } from './dom.js';
import { problemText } from './report-form.js';
import { subscriptionsSection } from './data-subscriptions.js';
import './text-exchange.js';

const when = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());

/** Whether the caller may apply for `d`: published, shared on some terms, registered by a
 *  department other than the caller's. */
export function mayApply(d, me) {
  return d.origin === 'registered' && d.state === 'published' && d.sharingType !== 'none'
    && (me.departmentId == null ? me.roles.includes('admin') : me.departmentId !== d.ownerDepartmentId);
}

/** The application form for dataset `d`: purpose, fields, days, system, limits. */
export function applyForm(d, me, done) {
  const status = element('p', { className: 'muted', role: 'status' });
  const purpose = element('textarea', { id: 'access-purpose', maxLength: 1000, rows: 2, required: true });
  const boxes = d.fields.map((f) => element('label', { className: 'access-field' }, [
    // A service's answers are granted whole: every field, none to untick.
    element('input', { type: 'checkbox', value: f.name, checked: d.service != null || !/phone|contact|mobile/.test(f.name), disabled: d.service != null }), ` ${f.title} (${f.name})`]));
  const days = element('input', { id: 'access-days', type: 'number', min: 1, max: 365, value: 90 });
  const system = element('input', { id: 'access-system', maxLength: 100, placeholder: t('access.systemHint') });
  const rate = element('input', { id: 'access-rate', type: 'number', min: 1, max: 600, value: 60 });
  const quota = element('input', { id: 'access-quota', type: 'number', min: 1, max: 1000000, value: 10000 });
  const send = element('button', { type: 'submit', className: 'primary', id: 'access-send', textContent: t('access.send') });
  const label = (key, input) => element('label', {}, [t(key), input]);
  const form = element('form', { className: 'card access-form', id: 'access-form' }, [
    element('h4', { textContent: t('access.applyFor', { title: d.title }) }),
    element('p', { className: 'muted', textContent: t(d.sharingType === 'conditional' ? 'access.twoStages' : 'access.oneStage') }),
    label('access.purpose', purpose), element('fieldset', {}, [element('legend', { textContent: t('access.fields') }), ...boxes]),
    element('div', { className: 'form-row' }, [label('access.days', days), label('access.system', system), label('access.rate', rate), label('access.quota', quota)]),
    send, status,
  ]);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      purpose: purpose.value.trim(), days: Number(days.value), ratePerMinute: Number(rate.value), dailyQuota: Number(quota.value),
      fields: boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      ...(system.value.trim() ? { system: system.value.trim() } : {}),
    };
    try {
      const applied = await api(`/datasets/${encodeURIComponent(d.code)}/access-applications`, { method: 'POST', body });
      status.className = 'ok';
      status.textContent = t('access.sent');
      await done(applied);
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  });
  return form;
}

/** The steps the caller may take on an application, as the server will judge them. */
function stepsFor(a, view, me) {
  const consumer = a.applicantId === me.id || (me.departmentId != null && me.departmentId === a.departmentId);
  if (a.state === 'pending') return view === 'awaiting' ? ['approve', 'reject'] : consumer ? ['withdraw'] : [];
  if (a.state === 'approved') return consumer ? ['key', 'revoke'] : view === 'overseen' ? ['revoke'] : [];
  return [];
}

async function detail(panel, a, view, me, reload) {
  const status = element('p', { className: 'muted', role: 'status' });
  const secret = element('p', { className: 'access-secret', hidden: true });
  const note = element('input', { className: 'access-note', placeholder: t('access.note'), ariaLabel: t('access.note'), maxLength: 1000 });
  const buttons = stepsFor(a, view, me).map((step) => {
    const button = element('button', { type: 'button', className: `access-${step}${step === 'approve' || step === 'key' ? ' primary' : ''}`, textContent: t(`access.step.${step}`) });
    button.addEventListener('click', async () => {
      try {
        if (step === 'key') {
          const issued = await api(`/access-applications/${a.id}/key`, { method: 'POST' });
          secret.hidden = false;
          secret.replaceChildren(t('access.secretOnce'), element('code', { textContent: issued.secret }));
          return;
        }
        const body = { action: step, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
        const next = await api(`/access-applications/${a.id}/actions`, { method: 'POST', body });
        await reload();
        await detail(panel, next, view, me, reload);
      } catch (failure) {
        status.className = 'error';
        status.textContent = problemText(failure);
      }
    });
    return button;
  });
  const decisions = a.decisions.map((d) => [when(d.at), d.stage ? t(`access.stage.${d.stage}`) : '—', t(`access.step.${d.action}`), d.by, d.note ?? '']);
  const parts = [
    element('h3', { textContent: `${a.datasetCode} · ${a.consumer}${a.system ? ` · ${a.system}` : ''}` }),
    element('dl', { className: 'facts' }, [
      ['access.purpose', a.purpose], ['access.fields', a.fields.join(', ')], ['access.state', t(`access.state.${a.state}`)],
      ['access.awaiting', a.state === 'pending' ? t(`access.stage.${a.stages[a.decisions.filter((d) => d.action === 'approve').length]}`) : '—'],
      ['access.limits', t('access.limitsText', { rate: a.ratePerMinute, quota: a.dailyQuota, days: a.days })],
      ['access.expires', when(a.expiresAt)], ['access.keyPrefix', a.keyPrefix ?? '—'], ['access.closingNote', a.closingNote ?? '—'],
    ].flatMap(([k, v]) => [element('dt', { textContent: t(k) }), element('dd', { textContent: v })])),
    element('h4', { textContent: t('access.decisions') }),
    table([t('access.at'), t('access.stageLabel'), t('access.decision'), t('access.by'), t('access.noteLabel')], decisions),
    ...(buttons.length > 0 ? [element('div', { className: 'access-actions' }, [...(buttons.some((b) => /reject|revoke/.test(b.className)) ? [note] : []), ...buttons])] : []),
    secret, status,
  ];
  if (a.state === 'approved' || a.state === 'revoked') {
    const [usage, log] = await Promise.all([api(`/access-applications/${a.id}/usage`), api(`/access-applications/${a.id}/log?limit=20`)]);
    parts.push(
      element('p', { className: 'access-usage', textContent: t('access.usageText', { minute: usage.usedThisMinute, rate: usage.ratePerMinute, today: usage.usedToday, quota: usage.dailyQuota }) }),
      element('h4', { textContent: t('access.log') }),
      table([t('access.at'), t('access.caller'), t('access.operation'), t('access.outcomeLabel')],
        log.items.map((e) => [when(e.at), `${e.callerKind} ${e.callerId}`, e.operation, t(`access.outcome.${e.outcome}`)])),
    );
  }
  panel.replaceChildren(element('article', { className: 'card access-detail', dataset: { id: a.id, state: a.state } }, parts));
}

/** The applications page: mine, those awaiting my decision, and all on the datasets I look after;
 *  then my subscriptions. */
export async function accessApplications(page, me) {
  const view = element('select', { id: 'access-view', ariaLabel: t('access.view') },
    ['mine', 'awaiting', 'overseen'].map((v) => element('option', { value: v, textContent: t(`access.view.${v}`) })));
  const list = element('tbody');
  const panel = element('div', { id: 'access-panel' });
  const reload = async () => {
    const found = await all(`/access-applications?view=${view.value}`);
    list.replaceChildren(...found.reverse().map((a) => {
      const row = element('tr', { className: 'access-row', dataset: { id: a.id, state: a.state }, tabIndex: 0 }, [
        a.datasetCode, `${a.consumer}${a.system ? ` · ${a.system}` : ''}`, a.fields.join(', '), t(`access.state.${a.state}`), when(a.appliedAt),
      ].map((c) => element('td', { textContent: c })));
      const open = () => detail(panel, a, view.value, me, reload).catch((failure) => panel.replaceChildren(element('p', { className: 'error', textContent: problemText(failure) })));
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      return row;
    }));
  };
  view.addEventListener('change', () => { panel.replaceChildren(); reload(); });
  if (me.roles.includes('admin') || me.departmentId == null) view.value = 'awaiting';
  const headers = ['access.dataset', 'access.consumer', 'access.fields', 'access.state', 'access.applied'];
  page.replaceChildren(
    element('h1', { textContent: t('access.heading') }),
    element('p', { className: 'muted', textContent: t('access.intro') }),
    element('div', { className: 'toolbar' }, [view]),
    element('table', { id: 'access-list' }, [
      element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: t(h) })))]), list,
    ]),
    panel,
    await subscriptionsSection(),
  );
  await reload();
}
