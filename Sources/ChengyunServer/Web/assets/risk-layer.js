// The four-colour risk map (安全风险四色图) in the browser: the cells coloured red, orange, yellow
// or blue by their level in the chosen category (the cockpit's layer), and the red cells in every
// category (the command board's list to open an incident from).
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { severityColour } from './charts.js';
import './text-emergency.js';

/** The risk categories, fetched once per page load. */
let categoriesOnce = null;
export function riskCategories() {
  categoriesOnce ??= api('/risk-map/categories').then((answer) => answer.items);
  return categoriesOnce;
}

/**
 * A category switch for a map whose cells are `cellPaths` ([[cellId, path]]): `colour()` paints
 * each cell by its level in the chosen category (blue where the map lists nothing).
 */
export async function riskLayer(cellPaths) {
  const categories = await riskCategories();
  const select = element('select', { id: 'risk-category', ariaLabel: t('risk.category') },
    categories.map((c) => element('option', { value: c.code, textContent: c.name })));
  async function colour() {
    const answer = await api(`/risk-map?category=${encodeURIComponent(select.value)}`);
    const levels = new Map(answer.items.map((c) => [c.gridCellId, c.level]));
    for (const [id, path] of cellPaths) {
      const level = levels.get(id) ?? 'blue';
      path.setAttribute('fill', severityColour[level]);
      path.setAttribute('fill-opacity', level === 'blue' ? '0.25' : '0.7');
      path.dataset.risk = level;
    }
  }
  return { select, colour };
}

/** The red cells of every category in scope: [{ cell, category, facts }], `cells` the visible grid. */
export async function redCells(cells) {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const categories = await riskCategories();
  const maps = await Promise.all(categories.map((c) => api(`/risk-map?category=${encodeURIComponent(c.code)}`)));
  return categories.flatMap((category, i) => maps[i].items.filter((r) => r.level === 'red' && byId.has(r.gridCellId))
    .map((r) => ({ cell: byId.get(r.gridCellId), category, facts: r.facts })));
}

/** The centre of a cell's outer ring, [lon, lat]. */
export function centre(cell) {
  const ring = cell.geometry.coordinates[0].slice(0, -1);
  return [ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length];
}

/** A line saying a red cell's facts. */
export const riskFacts = (facts) => t('risk.facts', facts);

/** The command board's list of red cells, each with a button handing it to `onPick` to report from. */
export async function redCellSection(cells, onPick) {
  const red = await redCells(cells);
  return element('section', { className: 'card', id: 'em-red-cells' }, [
    element('h2', { textContent: t('risk.redCells') }),
    red.length === 0 ? element('p', { className: 'muted', textContent: t('risk.noRed') })
      : element('ul', {}, red.map((r) => {
        const button = element('button', { type: 'button', textContent: t('risk.openIncident'), dataset: { cell: r.cell.code, category: r.category.code } });
        button.addEventListener('click', () => onPick(r));
        return element('li', { dataset: { cell: r.cell.code, category: r.category.code } },
          [`${r.cell.code} ${r.cell.name} · ${r.category.name} · ${riskFacts(r.facts)} `, button]);
      })),
  ]);
}
