// The 12345 operator's form (热线受理登记): the caller, what they say, where — and, as the operator
// types the description, the matters the learned model reads in it; a click takes one. The
// operator may still search the whole catalogue. Files a hotline report (POST /cases).
import { api } from './api.js';
import { t } from './i18n.js';
import './text-intake.js';
import { element } from './dom.js';
import { customFields, field, matterPicker, positionFields, problemText, reportBody, showError } from './report-form.js';
import { matterCode } from './names.js';
import { visibleCells } from './svgmap.js';

export async function hotline(page) {
  const all = (await api('/matters')).items.filter((m) => m.active).map((m) => ({ ...m, code: matterCode(m) }));
  const extra = customFields();
  const matter = matterPicker(all, extra.show);
  const search = matter.nodes.find((n) => n.id === 'matter-search');
  const select = matter.nodes.find((n) => n.id === 'matter');
  const caller = element('input', { id: 'caller', autocomplete: 'off' });
  const phone = element('input', { id: 'phone', inputMode: 'tel', required: true, autocomplete: 'off' });
  const description = element('textarea', { id: 'description', rows: 3, required: true });
  const address = element('input', { id: 'address' });
  const position = positionFields(await visibleCells().catch(() => []));
  const suggestions = element('ul', { className: 'suggestions', id: 'matter-suggestions', ariaLive: 'polite' },
    [element('li', { className: 'muted', textContent: t('hotline.none') })]);
  const pick = (id) => {
    search.value = '';
    search.dispatchEvent(new Event('input'));
    select.value = id;
    select.dispatchEvent(new Event('change'));
  };
  let timer = null;
  let asked = '';
  description.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = description.value.trim();
      if (text.length < 2 || text === asked) return;
      asked = text;
      const answer = await api(`/matter-suggestions?text=${encodeURIComponent(text)}`).catch(() => null);
      if (!answer || asked !== text) return;
      suggestions.replaceChildren(...(answer.suggestions.length === 0
        ? [element('li', { className: 'muted', textContent: t('hotline.none') })]
        : answer.suggestions.map((s) => element('li', { dataset: { matter: s.matter.code } }, [
          `${s.matter.name}（${s.matter.code}） ${Math.round(s.confidence * 100)}% `,
          element('button', { type: 'button', className: 'link', textContent: t('hotline.use'), onclick: () => pick(s.matter.id) }),
        ]))));
    }, 350);
  });
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const result = element('p', { className: 'ok', id: 'hotline-result', role: 'status' });
  const form = element('form', { id: 'hotline-form', className: 'card', noValidate: true }, [
    ...field('caller', t('hotline.caller'), caller), ...field('phone', t('hotline.phone'), phone),
    ...field('description', t('portal.description'), description),
    element('div', { className: 'matter-suggestions' }, [element('h3', { textContent: t('hotline.suggested') }), suggestions]),
    ...matter.nodes, extra.node, ...field('address', t('portal.address'), address), ...position.nodes,
    error, element('button', { type: 'submit', className: 'primary', textContent: t('hotline.submit') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const more = { source: 'hotline', reporterContact: phone.value.trim() };
    if (caller.value.trim()) more.reporterName = caller.value.trim();
    const { body, missing } = reportBody({ matter, description, position, address, extra }, more);
    if (missing || !more.reporterContact) return showError(error, missing ?? t('action.required'));
    try {
      const outcome = await api('/cases', { method: 'POST', body });
      result.replaceChildren(element('a', { href: `#/case/${outcome.case.id}`, textContent: t('hotline.filed', { number: outcome.case.number }) }));
      result.dataset.number = outcome.case.number;
      form.reset();
    } catch (failure) {
      showError(error, problemText(failure));
    }
  });
  page.replaceChildren(element('h1', { textContent: t('hotline.title') }), form, result);
}
