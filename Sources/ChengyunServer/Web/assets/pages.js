// The shell's pages. Each reads the API within the caller's scope and renders plain HTML.
import { all, api, ApiError } from './api.js';
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

async function areas(page) {
  const list = await all('/areas');
  const cells = await all('/grid-cells');
  const cellsPerArea = new Map();
  for (const cell of cells) cellsPerArea.set(cell.areaId, (cellsPerArea.get(cell.areaId) ?? 0) + 1);
  const depth = { city: 0, district: 1, street: 2, community: 3 };
  const sorted = [...list].sort((a, b) => a.code.localeCompare(b.code));
  const lon = element('input', { id: 'locate-lon', inputMode: 'decimal', value: '120.5625' });
  const lat = element('input', { id: 'locate-lat', inputMode: 'decimal', value: '31.2765' });
  const result = element('p', { id: 'locate-result', role: 'status' });
  const form = element('form', { className: 'inline-form' }, [
    element('label', { htmlFor: 'locate-lon', textContent: t('areas.lon') }), lon,
    element('label', { htmlFor: 'locate-lat', textContent: t('areas.lat') }), lat,
    element('button', { type: 'submit', className: 'primary', textContent: t('areas.find') }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const cell = await api(`/grid-cells/locate?lon=${encodeURIComponent(lon.value)}&lat=${encodeURIComponent(lat.value)}`);
      result.textContent = t('areas.found', { name: cell.name, code: cell.code });
    } catch (error) {
      result.textContent = error instanceof ApiError && error.status === 404 ? t('areas.notFound') : error.message;
    }
  });
  page.replaceChildren(
    element('h1', { textContent: t('areas.title') }),
    element('section', { className: 'card' }, [element('h2', { textContent: t('areas.locate') }), form, result]),
    table([t('areas.code'), t('areas.name'), t('areas.level'), t('areas.cells')], sorted.map((area) => [
      area.code, `${'　'.repeat(depth[area.level])}${area.name}`, t(`level.${area.level}`),
      area.level === 'community' ? String(cellsPerArea.get(area.id) ?? 0) : '',
    ])),
  );
}

async function departments(page) {
  const list = await all('/departments');
  page.replaceChildren(
    element('h1', { textContent: t('departments.title') }),
    table([t('areas.code'), t('areas.name'), t('departments.kind'), t('departments.phone')],
      list.map((d) => [d.code, d.name, d.kind, d.phone ?? ''])),
  );
}

async function users(page) {
  const list = await all('/users');
  const now = Date.now();
  page.replaceChildren(
    element('h1', { textContent: t('users.title') }),
    table([t('users.username'), t('users.name'), t('users.roles'), t('users.state')], list.map((u) => [
      u.username, u.displayName, u.roles.map((r) => t(`role.${r}`)).join('、'),
      (u.lockedUntil ?? 0) > now ? t('users.locked') : (u.active ? t('users.active') : t('users.inactive')),
    ])),
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

export const pages = { home, areas, departments, users, audit };
