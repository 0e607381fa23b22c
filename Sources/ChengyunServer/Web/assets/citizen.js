// The citizen portal (市民随手拍), phone first: report a problem (signed in, or anonymously with a
// contact), get a number, follow the report, read the reply and rate it after closure (回访).
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { field, positionFields, problemText, showError, upload } from './report-form.js';
import { categoryPicker } from './category-picker.js';
import { currentTab, signedIn, signInForm, startPage } from './phone-shell.js';
import './text-cases.js';
import './text-portal.js';

const state = { me: null };
const main = document.getElementById('portal');

async function whoAmI() {
  state.me = await signedIn('citizen');
  const who = document.getElementById('citizen-who');
  who.hidden = !state.me;
  who.textContent = state.me ? t('portal.signedIn', { name: state.me.displayName }) : '';
}

function loginForm(then) {
  return signInForm({
    id: 'citizen-login', heading: element('p', { textContent: t('portal.login') }), path: '/citizen-session', submit: t('portal.signIn'),
    inputs: [{ key: 'phone', id: 'citizen-phone', label: t('portal.phone'), inputMode: 'tel', autocomplete: 'tel' },
      { key: 'password', id: 'citizen-password', label: t('portal.password'), type: 'password', autocomplete: 'current-password' }],
    onDone: async () => { await whoAmI(); then(); },
  });
}

async function reportPage() {
  const category = categoryPicker((await api('/public/categories')).items);
  const description = element('textarea', { id: 'description', rows: 3, required: true, placeholder: t('portal.describe') });
  const address = element('input', { id: 'address' });
  const position = positionFields(await api('/public/grid-cells').then((a) => a.items).catch(() => []));
  const photo = element('input', { id: 'photo', type: 'file', accept: 'image/*', capture: 'environment' });
  const contact = element('input', { id: 'contact', inputMode: 'tel' });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const result = element('div', { id: 'report-result', role: 'status' });
  const form = element('form', { id: 'report-form', className: 'card', noValidate: true }, [
    ...category.nodes,
    ...field('description', t('portal.description'), description), ...field('address', t('portal.address'), address),
    ...position.nodes,
    ...(state.me ? field('photo', t('portal.photo'), photo) : [element('p', { className: 'muted', textContent: t('portal.anonymous') }),
      ...field('contact', t('portal.contact'), contact)]),
    error, element('button', { type: 'submit', className: 'primary', textContent: t('portal.submit') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const point = position.read();
    const body = { category: category.value(), description: description.value.trim(), ...point };
    if (address.value.trim()) body.address = address.value.trim();
    if (!body.category || !body.description || !point) return showError(error, t('action.required'));
    if (!state.me) body.reporterContact = contact.value.trim();
    if (!state.me && !body.reporterContact) return showError(error, t('action.required'));
    try {
      if (state.me && photo.files.length > 0) body.attachments = await upload(photo.files);
      const outcome = await api(state.me ? '/cases' : '/public/reports', { method: 'POST', body });
      form.reset();
      result.replaceChildren(
        element('p', { className: 'ok', id: 'report-number', textContent: t('portal.thanks', { number: outcome.case.number }) }),
        outcome.mergedInto ? element('p', { textContent: t('portal.mergedNote', { number: outcome.mergedInto.number }) }) : '',
        element('p', { className: 'muted', textContent: t('portal.keepNumber') }),
      );
      result.dataset.number = outcome.case.number;
    } catch (failure) {
      showError(error, t('portal.error', { detail: problemText(failure) }));
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
  const tab = currentTab('report');
  try {
    if (tab === 'mine') await minePage();
    else if (tab === 'follow') followPage();
    else await reportPage();
  } catch (failure) {
    main.replaceChildren(element('p', { className: 'error', textContent: t('common.error', { detail: failure.message }) }));
  }
}

startPage(whoAmI, render);
