// City vital signs (城市体征): the indicator tree with its colours and a sparkline of recent
// periods; an indicator opens to its history and forecast, with the back-tested error beside it.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { forecastChart, rankingChart, sparkline } from './charts.js';
import './text-indicators.js';
import './text-cockpit.js';

const depth = (code) => code.split('.').length - 1;
/** The back-test in one line: the method chosen and the runner-up with their errors, persistence
 *  beside them, and a plain warning when nothing beats holding the latest value. */
function backtestLine(test, attributes) {
  const score = (method) => test.scores.find((s) => s.method === method);
  const number = (v) => (v == null ? '—' : v.toFixed(1));
  const best = score(test.method), runner = test.runnerUp ? score(test.runnerUp) : null;
  const line = t('indicators.backtest', {
    origins: test.origins, points: test.points, horizon: test.horizon, method: t(`forecast.${test.method}`),
    mae: number(best.mae), rmse: number(best.rmse), mape: best.mape == null ? '—' : `${best.mape.toFixed(1)}%`,
    runner: runner ? t(`forecast.${runner.method}`) : '—', runnerMae: number(runner?.mae), persistence: number(score('persistence')?.mae),
  });
  return element('p', { ...attributes, textContent: test.beatsPersistence ? line : `${line} ${t('indicators.noBetter')}`,
    dataset: { method: test.method, beatsPersistence: String(test.beatsPersistence) } });
}

const shown = (value, unit) => (value == null ? t('indicators.noValue') : `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`.trim());

async function detail(box, reading) {
  const { indicator } = reading;
  const forecast = await api(`/indicators/${encodeURIComponent(indicator.code)}/forecast?horizon=7`);
  const test = forecast.backtest;
  box.replaceChildren(
    element('h2', { textContent: t('indicators.forecast', { name: indicator.name }) }),
    element('p', { className: 'muted', textContent: `${t('indicators.source')}：${t(`source.${indicator.source.type}`)}${indicator.source.formula ? ` · ${indicator.source.formula}` : ''}` }),
    forecast.points.length > 0 ? forecastChart(forecast.history, forecast.points, indicator.name) : element('p', { className: 'muted', textContent: t('indicators.noForecast') }),
    test ? backtestLine(test, { id: 'backtest' }) : '',
  );
  box.hidden = false;
  box.dataset.code = indicator.code;
}

/** Reports per day of a major category and the next week, with the back-test beside it. */
function caseVolume() {
  const categories = ['E01', 'E02', 'E03', 'E04', 'E05', 'C01', 'C02', 'C03', 'C04', 'C05', 'C06'];
  const select = element('select', { id: 'volume-category', ariaLabel: t('indicators.category') },
    categories.map((c) => element('option', { value: c, textContent: c })));
  const body = element('div', { id: 'volume-chart' });
  const draw = async () => {
    const forecast = await api(`/cases/forecast?category=${select.value}&days=56&horizon=7`);
    const history = forecast.history.map((d) => ({ periodStart: Date.parse(`${d.day}T12:00:00`), value: d.count }));
    const points = forecast.points.map((p) => ({ periodStart: Date.parse(`${p.day}T12:00:00`), value: p.value }));
    const test = forecast.backtest;
    body.replaceChildren(forecastChart(history, points, select.value), test ? backtestLine(test, { className: 'backtest' }) : '');
  };
  select.addEventListener('change', () => draw().catch((e) => { body.textContent = e.message; }));
  draw().catch((e) => { body.textContent = e.message; });
  return element('section', { className: 'card', id: 'case-volume' }, [
    element('div', { className: 'card-head' }, [element('h2', { textContent: t('indicators.volume') }), select]), body]);
}

export async function indicators(page, me, notice = '') {
  const report = await api('/indicators');
  const comprehensive = me.roles.some((r) => ['leader', 'admin', 'supervisor'].includes(r)) ? await api('/evaluation/comprehensive') : null;
  const histories = await Promise.all(report.readings.map((r) => api(`/indicators/${encodeURIComponent(r.indicator.code)}/history?limit=30`)
    .then((h) => h.items.map((v) => v.value)).catch(() => [])));
  const box = element('section', { className: 'card', id: 'indicator-detail', hidden: true });
  const rows = report.readings.map((reading, index) => {
    const { indicator, value, colour } = reading;
    const name = element('button', { type: 'button', className: 'link', textContent: indicator.name, dataset: { code: indicator.code } });
    name.addEventListener('click', () => detail(box, reading).catch((e) => { box.hidden = false; box.textContent = e.message; }));
    return element('tr', { className: `indicator level-${colour ?? 'none'}`, dataset: { code: indicator.code, colour: colour ?? '' } }, [
      indented(element('td', {}, [name]), depth(indicator.code)),
      element('td', { className: 'num', textContent: shown(value, indicator.unit) }),
      element('td', {}, [element('span', { className: `chip ${colour ?? 'normal'}`, textContent: colour ? t(`severity.${colour}`) : (value == null ? '—' : t('indicators.normal')) })]),
      element('td', { textContent: t(`period.${indicator.period}`) }),
      element('td', {}, [sparkline(histories[index])]),
    ]);
  });
  const status = element('p', { id: 'indicator-status', className: 'ok', role: 'status', textContent: notice });
  const canCompute = me.roles.some((r) => ['leader', 'admin', 'supervisor'].includes(r));
  const compute = element('button', { type: 'button', className: 'primary', id: 'indicator-compute', textContent: t('indicators.compute') });
  compute.addEventListener('click', async () => {
    const done = await api('/indicators/compute', { method: 'POST' });
    await indicators(page, me, t('indicators.computed', { n: done.readings.length }));
  });
  page.replaceChildren(
    element('div', { className: 'card-head' }, [element('h1', { textContent: t('indicators.title') }), canCompute ? compute : '']),
    element('p', { className: 'muted', textContent: t('indicators.intro') }), status,
    element('div', { className: 'case-grid' }, [
      element('section', { className: 'card' }, [element('table', { className: 'indicator-tree' }, [
        element('thead', {}, [element('tr', {}, ['indicators.name', 'indicators.value', 'indicators.level', 'indicators.period', 'indicators.trend']
          .map((h) => element('th', { scope: 'col', textContent: t(h) })))]),
        element('tbody', {}, rows),
      ])]),
      element('div', {}, [box, comprehensive ? element('section', { className: 'card', id: 'comprehensive' }, [
        element('div', { className: 'card-head' }, [element('h2', { textContent: t('indicators.comprehensive') }),
          element('a', { className: 'button', href: '/api/v1/evaluation/comprehensive.csv', textContent: t('search.csv') })]),
        element('p', { className: 'muted', textContent: comprehensive.scheme.items.map((i) => `${i.indicatorCode} × ${i.weight}`).join('，') }),
        rankingChart(comprehensive.rows.map((row) => ({ id: row.areaId, name: row.name, score: row.score, grade: null }))),
      ]) : '', caseVolume()]),
    ]),
  );
}

/** A cell indented by its depth in the tree (set through the CSSOM: the page's CSP allows no inline style attributes). */
function indented(cell, level) {
  cell.style.paddingLeft = `${12 + level * 22}px`;
  return cell;
}
