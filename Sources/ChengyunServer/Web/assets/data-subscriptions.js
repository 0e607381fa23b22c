// Subscriptions (订阅): the caller's subscriptions to a dataset's changes or to platform events,
// by webhook (the signing secret shown once) or pulled by cursor, and each one's delivery log.
import { api, all } from './api.js';
import { t } from './i18n.js';
import { element, table } from './dom.js';
import { problemText } from './report-form.js';
import './text-exchange.js';

const when = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());

async function deliveries(panel, s, reload) {
  // A pulled record feed's log is the feed itself, from where it began; others newest first.
  const pulledFeed = s.topic === 'records' && !s.url;
  const status = element('p', { className: 'muted', role: 'status' });
  // A feed that cannot be read now (a grant ended or out of requests) says why, and can still be
  // cancelled; a pulled feed begun before changes since pruned is shown from after them.
  const path = `/subscriptions/${s.id}/deliveries?limit=100${pulledFeed ? '' : '&order=newest'}`;
  const refused = (failure) => {
    status.className = 'error';
    status.textContent = problemText(failure);
    return { items: [] };
  };
  const log = await api(path).catch((failure) => {
    const after = failure.code === 'changes_pruned' ? failure.problem?.nextCursor : null;
    if (!after) return refused(failure);
    status.textContent = t('sub.pullPruned');
    return api(`${path}&cursor=${encodeURIComponent(after)}`).catch(refused);
  });
  // A webhook feed's standing as it is now, not as the list found it.
  const standing = s.topic === 'records' && s.url ? (await api(`/subscriptions/${s.id}`).catch(() => ({}))).feed : null;
  const cancel = s.state === 'active' ? element('button', { type: 'button', className: 'subscription-cancel', textContent: t('sub.cancel') }) : null;
  cancel?.addEventListener('click', async () => {
    try {
      await api(`/subscriptions/${s.id}`, { method: 'DELETE' });
      await reload();
      panel.replaceChildren();
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  });
  // Replay reaches back to the oldest dead delivery, shown or not.
  const oldestDead = s.url ? (await api(`/subscriptions/${s.id}/deliveries?state=dead&limit=1`).catch(() => ({ items: [] }))).items[0] : null;
  const replay = oldestDead ? element('button', { type: 'button', className: 'subscription-replay', textContent: t('sub.replay') }) : null;
  replay?.addEventListener('click', async () => {
    try {
      const from = oldestDead.createdAt;
      const answer = await api(`/subscriptions/${s.id}/replay`, { method: 'POST', body: { from } });
      status.className = 'ok';
      status.textContent = t('sub.replayed', { count: answer.requeued });
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  });
  panel.replaceChildren(element('article', { className: 'card subscription-detail', dataset: { id: s.id } }, [
    element('h4', { textContent: `${t(`sub.topic.${s.topic}`)}${s.datasetCode ? ` · ${s.datasetCode}` : ''}` }),
    element('p', { className: 'muted', textContent: s.url ? `${t('sub.webhook')}：${s.url}${s.batchSize > 1 ? ` · ${t('sub.batchOf', { count: s.batchSize })}` : ''}` : t('sub.pulled') }),
    ...(standing ? [feedStanding(standing)] : []),
    table([t('sub.delivery'), t('sub.created'), t('sub.state'), t('sub.attempts'), t('sub.lastStatus')],
      log.items.map((d) => [d.id, when(d.createdAt), t(`sub.deliveryState.${d.state}`), String(d.attempts), d.lastStatus == null ? (d.lastError ?? '—') : String(d.lastStatus)])),
    element('div', { className: 'access-actions' }, [cancel, replay].filter(Boolean)), status,
  ]));
}

// A webhook record feed's standing: what its receiver took, and how the last attempt went.
function feedStanding(feed) {
  const last = feed.lastStatus == null ? (feed.lastError ?? '—') : String(feed.lastStatus);
  const text = t('sub.feedText', { delivered: feed.delivered, at: when(feed.deliveredAt), attempts: feed.attempts, last });
  return element('p', { className: feed.missedThrough ? 'subscription-feed error' : 'subscription-feed muted' }, [
    text, ...(feed.missedThrough ? [` ${t('sub.feedMissed', { through: feed.missedThrough })}`] : []),
  ]);
}

/** The subscriptions section: the caller's list, a form to subscribe, and a delivery log. */
export async function subscriptionsSection() {
  const list = element('tbody');
  const panel = element('div', { id: 'subscription-panel' });
  const status = element('p', { className: 'muted', role: 'status' });
  const topic = element('select', { id: 'sub-topic' }, ['dataset', 'records', 'case', 'alarm', 'warning', 'incident'].map((v) => element('option', { value: v, textContent: t(`sub.topic.${v}`) })));
  const dataset = element('input', { id: 'sub-dataset', placeholder: 'waste-sorting-points' });
  const url = element('input', { id: 'sub-url', type: 'url', maxLength: 500, placeholder: t('sub.urlHint') });
  // Deliveries a POST (webhooks only): a receiver that takes bursts asks for more than one.
  const batch = element('input', { id: 'sub-batch', type: 'number', min: 1, max: 500, value: 1 });
  const label = (key, input) => element('label', {}, [t(key), input]);
  const datasetLabel = label('sub.dataset', dataset);
  const ofDataset = () => topic.value === 'dataset' || topic.value === 'records';
  topic.addEventListener('change', () => { datasetLabel.hidden = !ofDataset(); });
  const form = element('form', { className: 'card subscription-form', id: 'subscription-form' }, [
    element('div', { className: 'form-row' }, [label('sub.topic', topic), datasetLabel, label('sub.url', url), label('sub.batch', batch)]),
    element('button', { type: 'submit', className: 'primary', id: 'sub-send', textContent: t('sub.subscribe') }), status,
  ]);
  const reload = async () => {
    const found = await all('/subscriptions');
    list.replaceChildren(...found.reverse().map((s) => {
      const row = element('tr', { className: 'subscription-row', dataset: { id: s.id, state: s.state }, tabIndex: 0 }, [
        t(`sub.topic.${s.topic}`), s.datasetCode ?? '—', s.url ?? t('sub.pulled'), t(`sub.subState.${s.state}`), when(s.createdAt),
      ].map((c) => element('td', { textContent: c })));
      const open = () => deliveries(panel, s, reload).catch((failure) => panel.replaceChildren(element('p', { className: 'error', textContent: problemText(failure) })));
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      return row;
    }));
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { topic: topic.value, ...(ofDataset() ? { dataset: dataset.value.trim() } : {}), ...(url.value.trim() ? { url: url.value.trim() } : {}) };
    if (body.url && batch.value !== '' && Number(batch.value) !== 1) body.batchSize = Number(batch.value);
    try {
      const made = await api('/subscriptions', { method: 'POST', body });
      status.className = 'ok';
      status.replaceChildren(made.secret ? t('sub.secretOnce') : t('sub.made'), ...(made.secret ? [element('code', { className: 'subscription-secret', textContent: made.secret })] : []));
      await reload();
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  });
  await reload();
  const headers = ['sub.topic', 'sub.dataset', 'sub.target', 'sub.state', 'sub.created'];
  return element('section', { id: 'subscriptions' }, [
    element('h2', { textContent: t('sub.heading') }),
    element('p', { className: 'muted', textContent: t('sub.intro') }),
    form,
    element('table', { id: 'subscription-list' }, [
      element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: t(h) })))]), list,
    ]),
    panel,
  ]);
}
