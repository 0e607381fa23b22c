// Push keys (推送密钥) on a dataset's page, for its owner: a key for each system that feeds the
// dataset (its secret shown once, with the request to send), its rate and end, and revocation.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { problemText } from './report-form.js';
import './text-exchange.js';

const when = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());

function standing(key) {
  if (key.revokedAt != null) return t('push.revoked', { when: when(key.revokedAt) });
  if (key.expiresAt != null && key.expiresAt <= Date.now()) return t('push.expired');
  return t('push.active', { when: when(key.expiresAt) });
}

/** `mayLoad`: the dataset takes loads now (else its keys are listed and revoked, none made). `shown`: a key's secret just made. */
export async function pushPanel(d, mayLoad, shown) {
  const path = `/datasets/${encodeURIComponent(d.code)}/push-keys`;
  const section = element('section', { className: 'dataset-push' });
  const status = element('p', { className: 'muted', role: 'status' });
  const fail = (failure) => { status.className = 'error'; status.textContent = problemText(failure); };
  // A list that cannot be read says so here; the rest of the dataset's page stands.
  let keys = [];
  try {
    keys = (await api(path)).items;
  } catch (failure) { fail(failure); }
  const name = element('input', { id: 'push-name', maxLength: 100, placeholder: t('push.namePlaceholder'), ariaLabel: t('push.name') });
  const days = element('input', { id: 'push-days', type: 'number', min: 1, max: 365, value: 365, ariaLabel: t('push.days') });
  const rate = element('input', { id: 'push-rate', type: 'number', min: 1, max: 6000, value: 60, ariaLabel: t('push.rate') });
  const make = element('button', { type: 'button', className: 'push-make primary', textContent: t('push.make') });
  const redraw = async (secret) => section.replaceWith(await pushPanel(d, mayLoad, secret));
  make.addEventListener('click', async () => {
    make.disabled = true;
    try {
      const made = await api(path, { method: 'POST', body: { name: name.value.trim(), days: Number(days.value), ratePerMinute: Number(rate.value) } });
      const example = `curl -X POST ${location.origin}/api/v1/datasets/${d.code}/loads -H 'X-API-Key: ${made.secret}' -H 'Content-Type: text/csv' --data-binary @${d.code}.csv`;
      await redraw(element('div', { className: 'push-secret' }, [
        element('p', { textContent: t('push.secretOnce') }), element('code', { textContent: made.secret }),
        element('p', { className: 'muted', textContent: t('push.example') }), element('pre', { textContent: example }),
      ]));
    } catch (failure) { fail(failure); make.disabled = false; }
  });
  const rows = keys.map((key) => {
    let revoke = '';
    if (key.revokedAt == null) {
      revoke = element('button', { type: 'button', className: 'push-revoke', textContent: t('push.revoke') });
      revoke.addEventListener('click', async () => {
        try {
          await api(`${path}/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
          await redraw();
        } catch (failure) { fail(failure); }
      });
    }
    return element('tr', { className: 'push-key', dataset: { id: key.id, revoked: String(key.revokedAt != null) } }, [
      element('td', { textContent: key.name }), element('td', {}, [element('code', { textContent: `${key.prefix}…` })]),
      element('td', { textContent: String(key.rateLimitPerMinute ?? 60) }), element('td', { textContent: when(key.createdAt) }),
      element('td', { textContent: standing(key) }), element('td', {}, [revoke]),
    ]);
  });
  const headers = ['push.name', 'push.prefix', 'push.rate', 'push.created', 'push.state', ''];
  section.replaceChildren(
    element('h4', { textContent: t('push.heading') }),
    element('p', { className: 'muted', textContent: t('push.intro') }),
    rows.length === 0 ? element('p', { className: 'muted', textContent: t('push.none') })
      : element('table', { className: 'push-keys' }, [
        element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: h ? t(h) : '' })))]),
        element('tbody', {}, rows),
      ]),
    ...(shown ? [shown] : []),
    ...(mayLoad ? [
      element('div', { className: 'form-row' }, [
        element('label', {}, [t('push.name'), name]), element('label', {}, [t('push.days'), days]),
        element('label', {}, [t('push.rate'), rate]),
      ]),
      element('div', { className: 'dataset-actions' }, [make]),
    ] : []),
    status,
  );
  return section;
}
