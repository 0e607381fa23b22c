// Warnings and supervision (预警督办) in each role's workbench: the open warnings (updated live
// from the stream), the supervision orders addressed to me or issued in my area — read, answer —
// for leaders, an order issued on a case or a patrol task by its number; and my subscriptions to
// warnings (kinds, from which colour), with the list narrowed to what they match.
import { api } from './api.js';
import { t } from './i18n.js';
import { element, liveRedraws, markLive, pageStream } from './dom.js';
import { problemText } from './report-form.js';
import './text-supervision.js';
import './text-cockpit.js';
import './text-patrol.js';

let stream = null;
const when = (ms) => new Date(ms).toLocaleString();

const kinds = ['caseStage', 'patrolTask', 'incidentTask', 'riskCell', 'supervisionOverdue', 'indicator'];
const levels = ['blue', 'yellow', 'orange', 'red'];

function warningRow(w) {
  const link = w.targetType === 'case' ? element('a', { href: `#/case/${w.targetId}`, textContent: w.title })
    : w.targetType === 'patrolTask' ? element('a', { href: '#/patrol', textContent: w.title }) : w.title;
  const opened = w.caseId ? [' · ', element('a', { href: `#/case/${w.caseId}`, className: 'opened-case', textContent: t('supervision.openedCase') })] : [];
  return element('tr', { className: `warning level-${w.level}`, dataset: { key: w.key } }, [
    element('td', {}, [element('span', { className: `chip ${w.level}`, textContent: t(`severity.${w.level}`) })]),
    element('td', { textContent: t(`warning.${w.kind}`) }),
    element('td', {}, [link, ...opened]),
    element('td', { textContent: w.detail }),
    element('td', { textContent: when(w.raisedAt) }),
  ]);
}

function orderCard(order, me, refresh) {
  const overdue = order.state !== 'responded' && Date.now() > order.deadline;
  const card = element('article', { className: 'card order', dataset: { number: order.number, state: order.state } }, [
    element('h3', {}, [`${order.number} · `, order.caseId ? element('a', { href: `#/case/${order.caseId}`, textContent: order.caseNumber })
      : order.incidentTaskId ? `${t('warning.incidentTask')} ${order.taskNumber}`
      : element('a', { href: '#/patrol', textContent: `${t('warning.patrolTask')} ${order.taskNumber}` }),
      ` · ${t(`supervision.state.${order.state}`)}${overdue ? ` · ${t('supervision.overdue')}` : ''}`]),
    element('p', { className: 'letter', textContent: order.letter }),
    element('p', { className: 'muted', textContent: `${t('supervision.by')}：${order.automatic ? t('supervision.automatic') : order.issuedByName} · ${t('supervision.deadline')}：${when(order.deadline)}` }),
    order.response ? element('p', { className: 'reply', textContent: t('supervision.responded', { text: order.response }) }) : '',
  ]);
  if (order.state === 'responded') return card;
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const fail = (e) => { error.textContent = problemText(e); error.hidden = false; };
  if (order.state === 'issued') {
    const read = element('button', { type: 'button', textContent: t('supervision.read'), dataset: { act: 'read' } });
    read.addEventListener('click', () => api(`/supervision-orders/${order.id}/read`, { method: 'POST' }).then(refresh, fail));
    card.append(read);
  }
  const id = `response-${order.id}`;
  const text = element('textarea', { id, rows: 2 });
  const form = element('form', { className: 'action-form', dataset: { act: 'respond' } }, [
    element('label', { htmlFor: id, textContent: t('supervision.response') }), text,
    element('button', { type: 'submit', className: 'primary', textContent: t('supervision.respond') }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api(`/supervision-orders/${order.id}/response`, { method: 'POST', body: { response: text.value.trim() } }).then(refresh, fail);
  });
  card.append(form, error);
  return card;
}

function issueForm(refresh) {
  const number = element('input', { id: 'supervise-case', required: true, autocomplete: 'off' });
  const note = element('input', { id: 'supervise-note' });
  const status = element('p', { role: 'status', className: 'ok' });
  const form = element('form', { id: 'supervise-form', className: 'card inline-form' }, [
    element('h2', { textContent: t('supervision.issue') }),
    element('label', { htmlFor: 'supervise-case', textContent: t('supervision.case') }), number,
    element('label', { htmlFor: 'supervise-note', textContent: t('supervision.note') }), note,
    element('button', { type: 'submit', className: 'primary', textContent: t('supervision.issue') }), status,
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      // A patrol task's number starts XC; anything else names a case.
      const subject = number.value.trim();
      const body = /^XC\d/i.test(subject) ? { taskId: subject.toUpperCase() } : { caseId: subject };
      const order = await api('/supervision-orders', { method: 'POST', body: { ...body, note: note.value.trim() || undefined } });
      await refresh(t('supervision.issued', { number: order.number }));
    } catch (e) {
      status.className = 'error';
      status.textContent = problemText(e);
    }
  });
  return form;
}

function subscriptionsCard(subscriptions, refresh) {
  const describe = (s) => `${s.kinds.length ? s.kinds.map((k) => t(`warning.${k}`)).join('、') : t('supervision.allKinds')} · ${t('supervision.from', { level: t(`severity.${s.minLevel}`) })}`;
  const rows = subscriptions.map((s) => {
    const remove = element('button', { type: 'button', textContent: t('supervision.unsubscribe'), dataset: { unsubscribe: s.id } });
    remove.addEventListener('click', () => api(`/warning-subscriptions/${s.id}`, { method: 'DELETE' }).then(() => refresh(t('supervision.unsubscribed'))));
    return element('li', { dataset: { subscription: s.id } }, [describe(s), ' ', remove]);
  });
  const boxes = kinds.map((k) => element('label', { className: 'check' }, [element('input', { type: 'checkbox', name: 'kind', value: k }), t(`warning.${k}`)]));
  const level = element('select', { id: 'subscribe-level' }, levels.map((l) => element('option', { value: l, textContent: t(`severity.${l}`), selected: l === 'yellow' })));
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { id: 'subscribe-form', className: 'inline-form' }, [
    element('fieldset', {}, [element('legend', { textContent: t('supervision.kinds') }), ...boxes]),
    element('label', { htmlFor: 'subscribe-level', textContent: t('supervision.minLevel') }), level,
    element('button', { type: 'submit', textContent: t('supervision.subscribe') }), error,
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=kind]:checked')].map((box) => box.value);
    api('/warning-subscriptions', { method: 'POST', body: { kinds: chosen, minLevel: level.value } })
      .then(() => refresh(t('supervision.subscribed')), (e) => { error.textContent = problemText(e); error.hidden = false; });
  });
  return element('section', { id: 'subscriptions', className: 'card' }, [
    element('h2', { textContent: t('supervision.subscriptions') }),
    element('p', { className: 'muted', textContent: t('supervision.subscriptionsIntro') }),
    rows.length ? element('ul', {}, rows) : element('p', { className: 'muted', textContent: t('supervision.noSubscriptions') }),
    form,
  ]);
}

let lastNotice = '';
let onlySubscribed = false;

// The fields of the page's forms (orders, answers, subscriptions); not the list's filter box.
const formFields = (page) => page.querySelectorAll('form input, form select, form textarea');

// The page draws into a container of its own, made when the route draws it and kept by its
// redraws, so its live redraws' listeners (`liveRedraws`: none while someone fills in a form, one
// once they have left it) go with it when another route replaces it.
const live = { shown: null, me: null, view: null, request: null };

function viewIn(page) {
  if (!live.view || !page.contains(live.view)) {
    const view = element('div', { id: 'supervision-view' }, [...page.childNodes]);
    page.replaceChildren(view);
    live.view = view;
    live.request = liveRedraws(view, () => formFields(view),
      (free) => (document.body.contains(live.shown) ? supervision(page, live.me, null, free) : undefined));
  }
  return live.view;
}

export async function supervision(page, me, notice = null, free = null) {
  const view = viewIn(page);
  const request = live.request;
  const before = live.shown;
  const [warnings, orders, subscriptions] = await Promise.all([
    api(`/warnings${onlySubscribed ? '?subscribed=true' : ''}`), api('/supervision-orders'), api('/warning-subscriptions')]);
  // Any draw gives way when its view is gone (the route left, maybe for this page anew); a live
  // one also when the page was drawn afresh meanwhile (an answer sent), or someone began on a
  // form while it fetched.
  if (!view.isConnected) return;
  if (free && (live.shown !== before || !document.body.contains(before) || !free())) return;
  if (stream) stream.close();
  // A live redraw keeps what the page last said (an order just sent, say).
  if (notice !== null) lastNotice = notice;
  notice = lastNotice;
  const refresh = (message = null) => supervision(page, me, message);
  const table = warnings.items.length === 0 ? element('p', { className: 'muted', textContent: t('supervision.noWarnings') })
    : element('table', { id: 'warnings' }, [element('tbody', {}, warnings.items.map(warningRow))]);
  const filter = element('input', { type: 'checkbox', id: 'only-subscribed', checked: onlySubscribed });
  filter.addEventListener('change', () => { onlySubscribed = filter.checked; refresh(); });
  const liveMark = element('p', { id: 'supervision-live', className: 'muted', textContent: t('supervision.live') });
  view.replaceChildren(
    element('h1', { textContent: t('supervision.title') }),
    element('p', { id: 'supervision-status', className: 'ok', role: 'status', textContent: notice }),
    me.roles.some((r) => ['leader', 'admin'].includes(r)) ? issueForm(refresh) : '',
    element('section', { className: 'card' }, [element('h2', { textContent: `${t('supervision.warnings')}（${warnings.items.length}）` }),
      liveMark,
      element('label', { className: 'check', htmlFor: 'only-subscribed' }, [filter, t('supervision.onlySubscribed')]), table]),
    element('section', {}, [element('h2', { textContent: t('supervision.orders') }),
      ...(orders.items.length === 0 ? [element('p', { className: 'muted', textContent: t('supervision.noOrders') })]
        : orders.items.map((o) => orderCard(o, me, () => refresh(''))))]),
    subscriptionsCard(subscriptions.items, refresh),
  );
  Object.assign(live, { shown: table, me });
  // Live: a warning raised, escalated or settled, or an order, redraws the page.
  stream = pageStream('/api/v1/monitoring/stream', page);
  markLive(stream, liveMark);
  for (const name of ['warning', 'supervision']) {
    stream.addEventListener(name, (event) => {
      if (!document.body.contains(table)) { event.target.close(); return; }
      request();
    });
  }
}
