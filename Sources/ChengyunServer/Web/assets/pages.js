// The shell's pages. Each reads the API within the caller's scope and renders plain HTML.
import { all, api } from './api.js';
import { t } from './i18n.js';
import { element, table } from './dom.js';

async function home(page, me) {
  const areas = await all('/areas');
  const cells = await all('/grid-cells');
  const count = (level) => areas.filter((area) => area.level === level).length;
  const scope = areas.find((area) => area.id === me.areaId);
  const tiles = [
    ['home.districts', count('district')], ['home.streets', count('street')],
    ['home.communities', count('community')], ['home.cells', cells.length],
  ];
  page.replaceChildren(
    element('h1', { textContent: t('home.welcome', { name: me.displayName }) }),
    element('dl', { className: 'facts' }, [
      element('dt', { textContent: t('home.roles') }), element('dd', { textContent: me.roles.map((r) => t(`role.${r}`)).join('、') }),
      element('dt', { textContent: t('home.scope') }),
      element('dd', { textContent: scope ? `${scope.name}（${t(`level.${scope.level}`)} ${scope.code}）` : '—' }),
    ]),
    element('h2', { textContent: t('home.areas') }),
    element('div', { className: 'tiles' }, tiles.map(([label, value]) =>
      element('div', { className: 'tile' }, [element('span', { className: 'tile-value', textContent: String(value) }),
        element('span', { className: 'tile-label', textContent: t(label) })]))),
  );
}

async function audit(page) {
  const listing = await api('/audit?limit=100');
  const status = element('p', { role: 'status' });
  const verify = element('button', { type: 'button', className: 'primary', textContent: t('audit.verify') });
  verify.addEventListener('click', async () => {
    const result = await api('/audit/verify');
    status.textContent = result.intact ? t('audit.intact', { n: result.checked })
      : t('audit.broken', { seq: result.brokenAtSeq, reason: result.reason });
    status.className = result.intact ? 'ok' : 'error';
  });
  page.replaceChildren(
    element('h1', { textContent: t('audit.title') }), verify, status,
    table([t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.summary')], listing.items.map((entry) => [
      new Date(entry.at).toLocaleString(), entry.actorName, entry.action, entry.summary,
    ])),
  );
}

export const pages = { home, audit };
