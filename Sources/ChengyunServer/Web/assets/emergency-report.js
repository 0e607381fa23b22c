// The command board's side panels: the report form (接报, by hand or from a red risk cell), the
// year's emergency statistics with drills counted apart, and a closed incident's review (复盘;
// a drill's is its drill report) with each step's times against its deadline.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { actionForm, field, numeral, select, when } from './emergency-forms.js';
import { centre, redCellSection } from './risk-layer.js';
import { visibleCells } from './svgmap.js';
import './text-emergency.js';

const minutes = (value) => (value == null ? '—' : value.toFixed(1));
const percent = (rate) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The report form and, under it, the red cells to report from; `redrawAll()` redraws the page. */
export async function reportSection(plans, redrawAll) {
  const status = element('p', { id: 'em-report-status', role: 'status' });
  const types = [...new Set(plans.map((p) => p.incidentType))];
  const title = element('input', { required: true });
  const type = select(types.map((type) => [type, plans.find((p) => p.incidentType === type).name]));
  const lon = element('input', { type: 'number', step: 'any', value: '120.5700', required: true });
  const lat = element('input', { type: 'number', step: 'any', value: '31.2800', required: true });
  const address = element('input', {});
  const drill = element('input', { type: 'checkbox' });
  let source; // the red cell reported from, when one was picked
  const form = actionForm('report', [...field('em-title', t('em.reportTitle'), title), ...field('em-type', t('em.type'), type),
    ...field('em-lon', t('em.lon'), lon), ...field('em-lat', t('em.lat'), lat), ...field('em-address', t('em.address'), address),
    element('label', { className: 'check', htmlFor: 'em-drill' }, [Object.assign(drill, { id: 'em-drill' }), t('em.drill')])],
    t('em.send'), () => api('/emergency/incidents', { method: 'POST', body: {
      title: title.value.trim(), incidentType: type.value, lon: Number(lon.value), lat: Number(lat.value),
      address: address.value.trim() || undefined, drill: drill.checked, source } }),
    (incident) => { redrawAll().then(() => { document.getElementById('em-report-status').textContent = t('em.reported', { number: incident.number }); }); return ''; }, status);
  form.id = 'em-report-form';
  const red = await redCellSection(await visibleCells(), ({ cell, category }) => {
    title.value = t('risk.incidentTitle', { cell: cell.code, category: category.name });
    [lon.value, lat.value] = centre(cell).map((v) => v.toFixed(6));
    if (category.incidentType && ![...type.options].some((o) => o.value === category.incidentType)) {
      type.append(element('option', { value: category.incidentType, textContent: category.name }));
    }
    if (category.incidentType) type.value = category.incidentType;
    source = { kind: 'riskCell', id: cell.id };
    title.focus();
  });
  return [element('section', { className: 'card' }, [element('h2', { textContent: t('em.report') }), form, status]), red];
}

/** The past year's figures: real incidents, and drills beside them (never mixed in). */
export async function statisticsSection() {
  const stats = await api('/emergency/statistics');
  const row = (kind, f) => element('tr', { dataset: { kind } }, [
    element('th', { scope: 'row', textContent: t(`em.stats.${kind}`) }),
    element('td', { textContent: String(f.incidents) }),
    element('td', { textContent: ['I', 'II', 'III', 'IV'].map((l) => `${numeral[l]} ${f.byLevel[l] ?? 0}`).join(' / ') }),
    element('td', { textContent: minutes(f.meanMinutesToActivation) }),
    element('td', { textContent: minutes(f.meanResponseMinutes) }),
    element('td', { textContent: percent(f.onTimeRate) }),
  ]);
  return element('section', { className: 'card', id: 'em-statistics' }, [
    element('h2', { textContent: t('em.stats.title') }),
    element('table', {}, [
      element('thead', {}, [element('tr', {}, ['', t('em.stats.incidents'), t('em.level'), t('em.stats.toActivation'), t('em.stats.response'), t('em.stats.onTime')]
        .map((h) => element('th', { scope: 'col', textContent: h })))]),
      element('tbody', {}, [row('real', stats.real), row('drills', stats.drills)]),
    ]),
  ]);
}

/** A closed incident's review: each step's response and completion against its deadline. */
export async function reviewSection(incident) {
  const review = await api(`/emergency/incidents/${incident.id}/review`);
  return element('section', { id: 'em-review' }, [
    element('h3', { textContent: incident.drill ? t('em.drillReport') : t('em.review') }),
    element('p', { textContent: t('em.reviewSummary', { done: review.tasksDone, onTime: review.tasksOnTime, rate: percent(review.onTimeRate), response: minutes(review.meanResponseMinutes) }) }),
    element('table', {}, [
      element('thead', {}, [element('tr', {}, [t('em.step'), t('em.owner'), t('em.deadline'), t('em.stats.response'), t('em.completion'), ''].map((h) => element('th', { scope: 'col', textContent: h })))]),
      element('tbody', {}, review.tasks.map((line) => element('tr', { dataset: { step: line.stepCode, onTime: String(line.onTime ?? '') } }, [
        element('td', { textContent: `${line.stepCode} ${line.title}` }),
        element('td', { textContent: line.ownerName }),
        element('td', { textContent: when(line.deadline) }),
        element('td', { textContent: minutes(line.responseMinutes) }),
        element('td', { textContent: minutes(line.completionMinutes) }),
        element('td', { textContent: line.onTime == null ? t(`task.${line.status}`) : line.onTime ? t('em.onTime') : t('em.late') }),
      ]))),
    ]),
    element('p', { className: 'muted', textContent: review.resources.map((r) => `${r.kind}${r.capability ? `/${r.capability}` : ''} ${r.assigned}/${r.requested}`).join('；') }),
  ]);
}
