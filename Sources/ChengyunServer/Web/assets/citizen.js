// The citizen portal (市民随手拍), phone first: report a problem (signed in, or anonymously with a
// contact), get a number, follow the report, read the reply and rate it after closure (回访).
import { api, ApiError } from './api.js';
import { applyStatic, currentLanguage, setLanguage, t } from './i18n.js';
import { element } from './dom.js';
import './text-cases.js';
import './text-portal.js';

const state = { me: null };
const main = document.getElementById('portal');

function field(id, label, control) {
  return [element('label', { htmlFor: id, textContent: label }), control];
}

function problemText(failure) {
  const issues = failure instanceof ApiError ? (failure.problem?.errors ?? []) : [];
  return issues.length > 0 ? issues.map((i) => `${i.field}: ${i.message}`).join('；') : failure.message;
}

async function whoAmI() {
  try {
    const me = await api('/me');
    state.me = me.kind === 'citizen' ? me : null;
  } catch {
    state.me = null;
  }
  const who = document.getElementById('citizen-who');
  who.hidden = !state.me;
  who.textContent = state.me ? t('portal.signedIn', { name: state.me.displayName }) : '';
}

function loginForm(then) {
  const phone = element('input', { id: 'citizen-phone', inputMode: 'tel', autocomplete: 'tel', required: true });
  const password = element('input', { id: 'citizen-password', type: 'password', autocomplete: 'current-password', required: true });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { id: 'citizen-login', className: 'card' }, [
    element('p', { textContent: t('portal.login') }), ...field('citizen-phone', t('portal.phone'), phone),
    ...field('citizen-password', t('portal.password'), password), error,
    element('button', { type: 'submit', className: 'primary', textContent: t('portal.signIn') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/citizen-session', { method: 'POST', body: { phone: phone.value.trim(), password: password.value } });
      await whoAmI();
      then();
    } catch (failure) {
      error.textContent = failure.code === 'account_locked' ? t('login.locked') : t('login.failed');
      error.hidden = false;
    }
  });
  return form;
}

async function reportPage() {
  const matters = (await api('/public/matters')).items;
  const search = element('input', { id: 'matter-search', type: 'search', placeholder: t('portal.matterSearch') });
  const picker = element('select', { id: 'matter', required: true, size: 6 });
  const fill = () => {
    const text = search.value.trim();
    picker.replaceChildren(...matters.filter((m) => !text || m.name.includes(text) || m.code.includes(text.toUpperCase()))
      .map((m) => element('option', { value: m.id, textContent: `${m.name}（${m.code}）` })));
  };
  search.addEventListener('input', fill);
  fill();
  const description = element('textarea', { id: 'description', rows: 3, required: true });
  const address = element('input', { id: 'address' });
  const lon = element('input', { id: 'lon', inputMode: 'decimal', required: true });
  const lat = element('input', { id: 'lat', inputMode: 'decimal', required: true });
  const locate = element('button', { type: 'button', textContent: t('portal.locate') });
  const status = element('p', { className: 'muted', role: 'status' });
  locate.addEventListener('click', () => {
    status.textContent = t('portal.locating');
    navigator.geolocation?.getCurrentPosition(
      (position) => { lon.value = position.coords.longitude.toFixed(6); lat.value = position.coords.latitude.toFixed(6); status.textContent = ''; },
      () => { status.textContent = t('portal.noLocation'); }, { enableHighAccuracy: true, timeout: 10000 });
  });
  const photo = element('input', { id: 'photo', type: 'file', accept: 'image/*', capture: 'environment' });
  const contact = element('input', { id: 'contact', inputMode: 'tel' });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const result = element('div', { id: 'report-result', role: 'status' });
  const form = element('form', { id: 'report-form', className: 'card', noValidate: true }, [
    ...field('matter-search', t('portal.matter'), search), picker,
    ...field('description', t('portal.description'), description), ...field('address', t('portal.address'), address),
    element('div', { className: 'row' }, [element('div', {}, field('lon', t('portal.lon'), lon)), element('div', {}, field('lat', t('portal.lat'), lat))]),
    locate, status,
    ...(state.me ? field('photo', t('portal.photo'), photo) : [element('p', { className: 'muted', textContent: t('portal.anonymous') }),
      ...field('contact', t('portal.contact'), contact)]),
    error, element('button', { type: 'submit', className: 'primary', textContent: t('portal.submit') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { matterId: picker.value, description: description.value.trim(), lon: Number.parseFloat(lon.value), lat: Number.parseFloat(lat.value) };
    if (address.value.trim()) body.address = address.value.trim();
    if (!state.me) body.reporterContact = contact.value.trim();
    if (!body.matterId || !body.description || Number.isNaN(body.lon) || Number.isNaN(body.lat) || (!state.me && !body.reporterContact)) {
      error.textContent = t('action.required');
      error.hidden = false;
      return;
    }
    try {
      if (state.me && photo.files.length > 0) {
        const data = new FormData();
        data.append('file', photo.files[0], photo.files[0].name);
        const response = await fetch('/api/v1/attachments', { method: 'POST', body: data, credentials: 'same-origin' });
        const payload = await response.json().catch(() => null);
        if (!response.ok) throw new ApiError(response.status, payload);
        body.attachments = payload.items.map((a) => a.id);
      }
      const outcome = await api(state.me ? '/cases' : '/public/reports', { method: 'POST', body });
      form.reset();
      result.replaceChildren(
        element('p', { className: 'ok', id: 'report-number', textContent: t('portal.thanks', { number: outcome.case.number }) }),
        outcome.mergedInto ? element('p', { textContent: t('portal.mergedNote', { number: outcome.mergedInto.number }) }) : '',
        element('p', { className: 'muted', textContent: t('portal.keepNumber') }),
      );
      result.dataset.number = outcome.case.number;
    } catch (failure) {
      error.textContent = t('portal.error', { detail: problemText(failure) });
      error.hidden = false;
    }
  });
  main.replaceChildren(...(state.me ? [] : [loginForm(render)]), form, result);
}

/** One report as its reporter sees it, with the rating form once it may be rated. */
function reportCard(report, rate) {
  const card = element('article', { className: 'report-card', dataset: { number: report.number } }, [
    element('h3', { textContent: `${report.matterName} · ${report.number}` }),
    element('p', { textContent: report.description }),
    element('p', {}, [`${t('portal.state')}：`, element('strong', { className: 'report-state', textContent: t(`state.${report.state}`) })]),
    report.mergedInto ? element('p', { className: 'muted', textContent: t('portal.merged', { number: report.mergedInto }) }) : '',
    report.reply ? element('p', { className: 'reply' }, [`${t('portal.reply')}：`, report.reply]) : '',
    report.rating ? element('p', { className: 'ok rated', textContent: t('portal.rated', { value: t(`satisfaction.${report.rating.satisfaction}`) }) }) : '',
  ]);
  if (report.canRate) {
    const comment = element('input', { id: `comment-${report.id}`, placeholder: t('portal.comment') });
    const error = element('p', { className: 'error', role: 'alert', hidden: true });
    card.append(element('p', { textContent: t('portal.rate') }), comment,
      element('div', { className: 'rating' }, ['satisfied', 'basicallySatisfied', 'dissatisfied'].map((value) => {
        const button = element('button', { type: 'button', className: value === 'satisfied' ? 'primary' : '', textContent: t(`satisfaction.${value}`), dataset: { satisfaction: value } });
        button.addEventListener('click', async () => {
          try {
            card.replaceWith(reportCard(await rate({ satisfaction: value, comment: comment.value.trim() || undefined }), rate));
          } catch (failure) {
            error.textContent = t('portal.error', { detail: problemText(failure) });
            error.hidden = false;
          }
        });
        return button;
      })), error);
  }
  return card;
}

async function minePage() {
  if (!state.me) {
    main.replaceChildren(element('p', { className: 'muted', textContent: t('portal.mine.login') }), loginForm(render));
    return;
  }
  const reports = (await api('/me/reports')).items;
  main.replaceChildren(...(reports.length === 0 ? [element('p', { className: 'muted', textContent: t('portal.mine.empty') })]
    : reports.map((report) => reportCard(report, (body) => api(`/me/reports/${report.id}/rating`, { method: 'POST', body })))));
}

function followPage() {
  const number = element('input', { id: 'follow-number', required: true });
  const contact = element('input', { id: 'follow-contact', inputMode: 'tel', required: true });
  const out = element('div', { id: 'follow-result', role: 'status' });
  const form = element('form', { id: 'follow-form', className: 'card' }, [
    ...field('follow-number', t('portal.follow.number'), number), ...field('follow-contact', t('portal.contact'), contact),
    element('button', { type: 'submit', className: 'primary', textContent: t('portal.follow.submit') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = number.value.trim(), c = contact.value.trim();
    try {
      const report = await api(`/public/reports/${encodeURIComponent(n)}?contact=${encodeURIComponent(c)}`);
      out.replaceChildren(reportCard(report, (body) => api(`/public/reports/${encodeURIComponent(n)}/rating`, { method: 'POST', body: { ...body, contact: c } })));
    } catch {
      out.replaceChildren(element('p', { className: 'error', textContent: t('portal.follow.notFound') }));
    }
  });
  main.replaceChildren(form, out);
}

async function render() {
  const tab = location.hash.replace('#', '') || 'report';
  for (const link of document.querySelectorAll('.portal-tabs a')) link.toggleAttribute('aria-current', link.getAttribute('href') === `#${tab}`);
  try {
    if (tab === 'mine') await minePage();
    else if (tab === 'follow') followPage();
    else await reportPage();
  } catch (failure) {
    main.replaceChildren(element('p', { className: 'error', textContent: t('common.error', { detail: failure.message }) }));
  }
}

document.getElementById('lang').addEventListener('click', (event) => {
  setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
  event.currentTarget.textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
  render();
});
window.addEventListener('hashchange', render);
setLanguage(currentLanguage());
document.getElementById('lang').textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
applyStatic();
await whoAmI();
render();
