// What the phone-first pages (citizen portal, inspector's page) share: a sign-in form, the tabs
// chosen by the URL's hash, and the language button.
import { api } from './api.js';
import { applyStatic, currentLanguage, setLanguage, t } from './i18n.js';
import { element } from './dom.js';
import { field } from './report-form.js';

/** The signed-in account if it is of this kind (`citizen` or `staff`), else null. */
export async function signedIn(kind) {
  try {
    const me = await api('/me');
    return me.kind === kind ? me : null;
  } catch {
    return null;
  }
}

/**
 * A sign-in form posting `{ [key]: value }` of its `inputs` ([{ key, id, label, ...input props }])
 * to `path`; `onDone()` runs once the session is set.
 */
export function signInForm({ id, heading, inputs, path, submit, onDone }) {
  const controls = inputs.map(({ key, label, ...props }) => ({ key, label, input: element('input', { required: true, ...props }) }));
  const error = element('p', { className: 'error', role: 'alert', hidden: true });
  const form = element('form', { id, className: 'card' }, [
    heading, ...controls.flatMap((c) => field(c.input.id, c.label, c.input)), error,
    element('button', { type: 'submit', className: 'primary', textContent: submit }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(controls.map((c) => [c.key, c.input.type === 'password' ? c.input.value : c.input.value.trim()]));
    try {
      await api(path, { method: 'POST', body });
      await onDone();
    } catch (failure) {
      error.textContent = failure.code === 'account_locked' ? t('login.locked') : t('login.failed');
      error.hidden = false;
    }
  });
  return form;
}

/** The tab named by the hash (or `fallback`), marked current in the tab bar. */
export function currentTab(fallback) {
  const tab = location.hash.replace('#', '') || fallback;
  for (const link of document.querySelectorAll('.portal-tabs a')) link.toggleAttribute('aria-current', link.getAttribute('href') === `#${tab}`);
  return tab;
}

/** Wires the language button and the hash to `render`, then draws the page for whoever is signed in. */
export async function startPage(whoAmI, render) {
  const button = document.getElementById('lang');
  button.addEventListener('click', () => {
    setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
    button.textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
    render();
  });
  window.addEventListener('hashchange', render);
  setLanguage(currentLanguage());
  button.textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
  applyStatic();
  await whoAmI();
  render();
}
