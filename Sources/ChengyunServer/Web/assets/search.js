// Case search: filters kept in the URL (#/cases?state=handling&q=…), so a search can be saved,
// shared and reloaded; cursor pages; the same filters as a streamed CSV export.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import './text-cases.js';
import { matterCode } from './names.js';

const STATES = ['reported', 'verifying', 'filing', 'dispatching', 'handling', 'suspended', 'checking', 'closing', 'closed', 'rejected', 'cancelled', 'merged'];
const SOURCES = ['inspector', 'intake', 'citizen', 'hotline', 'machine'];

/** Local midnight of a yyyy-mm-dd field, in epoch milliseconds. */
const dayStart = (value) => (value ? new Date(`${value}T00:00:00`).getTime() : null);

export async function search(page, me, query) {
  const params = new URLSearchParams(query ?? '');
  const [matterList, departmentList] = await Promise.all([api('/matters'), api('/departments?limit=500')]);
  const matters = matterList.items ?? matterList;
  const field = (id, label, control) => element('div', { className: 'field' }, [element('label', { htmlFor: id, textContent: label }), control]);
  const select = (id, options, value) => element('select', { id }, [element('option', { value: '', textContent: t('search.any') }),
    ...options.map(([v, text]) => element('option', { value: v, textContent: text, selected: v === value }))]);
  const controls = {
    state: select('search-state', STATES.map((s) => [s, t(`state.${s}`)]), params.get('state')),
    matterId: select('search-matter', matters.map((m) => [m.id, `${m.name} ${matterCode(m)}`]), params.get('matterId')),
    departmentId: select('search-department', departmentList.items.map((d) => [d.id, d.name]), params.get('departmentId')),
    source: select('search-source', SOURCES.map((s) => [s, t(`source.${s}`)]), params.get('source')),
    q: element('input', { id: 'search-q', type: 'search', value: params.get('q') ?? '' }),
    from: element('input', { id: 'search-from', type: 'date', value: params.get('fromDay') ?? '' }),
    to: element('input', { id: 'search-to', type: 'date', value: params.get('toDay') ?? '' }),
    overdue: element('input', { id: 'search-overdue', type: 'checkbox', checked: params.get('overdue') === 'true' }),
  };
  const form = element('form', { className: 'card search-form', id: 'search-form' }, [
    field('search-q', t('search.text'), controls.q), field('search-state', t('case.state'), controls.state),
    field('search-matter', t('case.matter'), controls.matterId), field('search-department', t('search.department'), controls.departmentId),
    field('search-source', t('case.source'), controls.source), field('search-from', t('search.from'), controls.from),
    field('search-to', t('search.to'), controls.to),
    element('label', { className: 'check', htmlFor: 'search-overdue' }, [controls.overdue, t('search.overdue')]),
    element('button', { type: 'submit', className: 'primary', textContent: t('search.submit') }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of ['state', 'matterId', 'departmentId', 'source', 'q']) if (controls[name].value) next.set(name, controls[name].value.trim());
    if (controls.from.value) next.set('fromDay', controls.from.value);
    if (controls.to.value) next.set('toDay', controls.to.value);
    if (controls.overdue.checked) next.set('overdue', 'true');
    location.hash = `#/cases?${next}`;
  });

  // The API's filters: days become local-midnight instants (the end day included).
  const apiParams = new URLSearchParams();
  for (const name of ['state', 'matterId', 'departmentId', 'source', 'q', 'overdue']) if (params.get(name)) apiParams.set(name, params.get(name));
  if (params.get('fromDay')) apiParams.set('from', String(dayStart(params.get('fromDay'))));
  if (params.get('toDay')) apiParams.set('to', String(dayStart(params.get('toDay')) + 86_400_000));
  const names = new Map(matters.map((m) => [m.id, m.name]));
  const body = element('tbody');
  const more = element('button', { type: 'button', textContent: t('common.more'), hidden: true });
  const count = element('p', { className: 'muted', role: 'status' });
  let cursor = null, shown = 0;
  async function load() {
    const pageParams = new URLSearchParams(apiParams);
    pageParams.set('limit', '50');
    if (cursor) pageParams.set('cursor', cursor);
    const result = await api(`/cases?${pageParams}`);
    for (const c of result.items) {
      body.append(element('tr', {}, [
        element('td', {}, [element('a', { href: `#/case/${c.id}`, textContent: c.number })]),
        element('td', { textContent: names.get(c.matterId) ?? '' }), element('td', { textContent: c.description }),
        element('td', { textContent: t(`state.${c.state}`) }), element('td', { textContent: t(`source.${c.source}`) }),
        element('td', { textContent: new Date(c.reportedAt).toLocaleString() }),
      ]));
    }
    shown += result.items.length;
    cursor = result.nextCursor;
    more.hidden = !cursor;
    count.textContent = t(cursor ? 'search.shownMore' : 'search.shown', { n: shown });
  }
  more.addEventListener('click', load);
  const csv = element('a', { className: 'button', href: `/api/v1/cases.csv?${apiParams}`, download: 'cases.csv', textContent: t('search.csv') });
  page.replaceChildren(
    element('h1', { textContent: t('search.title') }), form,
    element('div', { className: 'card-head' }, [count, csv]),
    element('table', { id: 'search-results' }, [
      element('thead', {}, [element('tr', {}, [t('case.number'), t('case.matter'), t('case.description'), t('case.state'), t('case.source'),
        t('case.reported')].map((h) => element('th', { scope: 'col', textContent: h })))]), body]),
    more,
  );
  await load();
}
