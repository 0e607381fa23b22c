// The web shell: login, navigation per role, and the pages each role may open.
import { api, ApiError } from './api.js';
import { applyStatic, currentLanguage, setLanguage, t } from './i18n.js';
import { pages } from './pages.js';
import { caseDetail, queue } from './workbench.js';
import { cockpit } from './cockpit.js';
import { search } from './search.js';
import { areas, departments, gridCells, users } from './admin-org.js';
import { alarmRules, deviceKinds, routingRules } from './admin-ops.js';
import { emergencyPlans, emergencyResources } from './admin-emergency.js';
import { matters } from './admin-matters.js';
import { calendar } from './admin-calendar.js';
import { indicators } from './indicators.js';
import { supervision } from './supervision.js';
import { patrol } from './patrol.js';
import { emergency } from './emergency.js';
import { hotline } from './hotline-form.js';
import { video } from './video-review.js';
import { datasets } from './data-catalog.js';
import { accessApplications } from './data-access.js';

const state = { me: null };

/** Navigation entries and the roles that see them; a page is listed only where it works. */
const staff = ['inspector', 'intake', 'supervisor', 'dispatcher', 'handler', 'leader', 'admin'];
const navigation = [
  { route: 'queue', label: 'nav.queue', roles: ['inspector', 'intake', 'supervisor', 'dispatcher', 'handler'] },
  { route: 'hotline', label: 'nav.hotline', roles: ['intake'] },
  { route: 'cockpit', label: 'nav.cockpit', roles: ['leader', 'supervisor', 'dispatcher', 'admin'] },
  { route: 'video', label: 'nav.video', roles: ['intake', 'supervisor', 'leader', 'admin'] },
  { route: 'cases', label: 'nav.cases', roles: staff },
  { route: 'indicators', label: 'nav.indicators', roles: ['leader', 'supervisor', 'dispatcher', 'admin'] },
  { route: 'supervision', label: 'nav.supervision', roles: staff },
  { route: 'patrol', label: 'nav.patrol', roles: ['supervisor', 'dispatcher', 'admin', 'leader'] },
  { route: 'datasets', label: 'nav.datasets', roles: staff },
  { route: 'access', label: 'nav.access', roles: staff },
  { route: 'emergency', label: 'nav.emergency', roles: ['intake', 'supervisor', 'dispatcher', 'handler', 'leader', 'admin'] },
  { route: 'home', label: 'nav.home', roles: null },
  { route: 'areas', label: 'nav.areas', roles: staff, section: 'nav.config' },
  { route: 'cells', label: 'nav.cells', roles: ['admin'], section: 'nav.config' },
  { route: 'departments', label: 'nav.departments', roles: ['intake', 'supervisor', 'dispatcher', 'handler', 'leader', 'admin'], section: 'nav.config' },
  { route: 'users', label: 'nav.users', roles: ['admin'], section: 'nav.config' },
  { route: 'matters', label: 'nav.matters', roles: ['supervisor', 'dispatcher', 'admin'], section: 'nav.config' },
  { route: 'routing', label: 'nav.routing', roles: ['supervisor', 'dispatcher', 'admin'], section: 'nav.config' },
  { route: 'calendar', label: 'nav.calendar', roles: ['admin'], section: 'nav.config' },
  { route: 'deviceKinds', label: 'nav.deviceKinds', roles: ['admin'], section: 'nav.config' },
  { route: 'alarmRules', label: 'nav.alarmRules', roles: ['supervisor', 'dispatcher', 'admin'], section: 'nav.config' },
  { route: 'emResources', label: 'nav.emResources', roles: ['supervisor', 'dispatcher', 'leader', 'admin'], section: 'nav.config' },
  { route: 'emPlans', label: 'nav.emPlans', roles: ['supervisor', 'dispatcher', 'leader', 'admin'], section: 'nav.config' },
  { route: 'audit', label: 'nav.audit', roles: ['admin'], section: 'nav.config' },
];

function allowed(entry) {
  return entry.roles === null || entry.roles.some((role) => state.me.roles.includes(role));
}

function showLogin() {
  state.me = null;
  document.getElementById('app-view').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('login-view').hidden = false;
  document.getElementById('username').focus();
}

function renderNav() {
  const nav = document.getElementById('nav');
  let section;
  nav.replaceChildren(...navigation.filter(allowed).flatMap((entry) => {
    const link = document.createElement('a');
    link.href = `#/${entry.route}`;
    link.dataset.route = entry.route;
    link.textContent = t(entry.label);
    if (!entry.section || entry.section === section) return [link];
    section = entry.section;
    return [Object.assign(document.createElement('span'), { className: 'nav-section', textContent: t(section) }), link];
  }));
}

const views = { ...pages, queue, hotline, video, datasets, access: accessApplications, cockpit, indicators, supervision, patrol, emergency, areas, cells: gridCells, departments, users, matters, routing: routingRules, calendar, deviceKinds, alarmRules, emResources: emergencyResources, emPlans: emergencyPlans };

async function renderPage() {
  const [path, query] = location.hash.replace(/^#\//, '').split('?');
  const [route, param] = path.split('/');
  // Each role lands on its queue; a case opens from it by number.
  const entry = route === 'case' && param ? { route: 'case' }
    : navigation.find((item) => item.route === route && allowed(item)) ?? navigation.filter(allowed)[0];
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.route === entry.route);
  }
  // Each render draws into a container of its own. A render still waiting on its fetches when the
  // next one starts (the language toggle redraws the page, and a link is followed before that
  // redraw's fetch answers) then draws into a container no longer shown, never over the newer page;
  // and a page's live parts see they are gone (`isConnected`) as soon as the next page starts.
  const page = document.createElement('div');
  page.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: t('common.loading') }));
  document.getElementById('page').replaceChildren(page);
  window.dispatchEvent(new Event('pagechange'));
  try {
    if (entry.route === 'case') await caseDetail(page, state.me, decodeURIComponent(param));
    else if (entry.route === 'cases') await search(page, state.me, query);
    else await views[entry.route](page, state.me);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin();
    page.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: t('common.error', { detail: error.message }) }));
  }
}

/** An inspector (and nothing else) on a narrow screen works on the phone page: the desk pages
 *  need a wide one. A case link still opens here. */
function phonePageFor(me) {
  return me.roles.length > 0 && me.roles.every((role) => role === 'inspector')
    && window.matchMedia('(max-width: 700px)').matches && !location.hash.startsWith('#/case/');
}

function showApp(me) {
  if (phonePageFor(me)) {
    location.replace('/inspector.html');
    return;
  }
  state.me = me;
  document.getElementById('login-view').hidden = true;
  document.getElementById('app-view').hidden = false;
  document.getElementById('logout').hidden = false;
  const who = document.getElementById('who');
  who.hidden = false;
  who.textContent = `${me.displayName} · ${me.roles.map((role) => t(`role.${role}`)).join('、')}`;
  renderNav();
  renderPage();
}

async function start() {
  setLanguage(currentLanguage());
  document.getElementById('lang').textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
  try {
    const me = await api('/me');
    if (me.kind !== 'staff') throw new ApiError(401, null);
    showApp(me);
  } catch {
    showLogin();
  }
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  const username = document.getElementById('username').value.trim();
  const password = document.getElementById('password').value;
  error.hidden = true;
  if (!username || !password) {
    error.textContent = t('login.required');
    error.hidden = false;
    return;
  }
  try {
    const answer = await api('/session', { method: 'POST', body: { username, password } });
    document.getElementById('password').value = '';
    showApp(answer.me);
  } catch (failure) {
    error.textContent = failure.code === 'account_locked' ? t('login.locked') : t('login.failed');
    error.hidden = false;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  await api('/session', { method: 'DELETE' }).catch(() => {});
  location.hash = '';
  showLogin();
});

document.getElementById('lang').addEventListener('click', (event) => {
  setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
  event.currentTarget.textContent = currentLanguage() === 'zh' ? 'EN' : '中文';
  if (state.me) showApp(state.me);
  applyStatic();
});

window.addEventListener('hashchange', () => { if (state.me) renderPage(); });
start();
