// The command board's map (现场态势): the cells around the scene coloured by their risk in the
// incident's category, the scene, the resources on the incident where they are now (live as crews
// report and terminals move them), and the nearest available resources suggested with their
// distance and ETA, numbered on the map and listed beside it.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { cellPath, cellsNear, projection, svg, visibleCells } from './svgmap.js';
import { riskCategories } from './risk-layer.js';
import { severityColour } from './charts.js';
import { dispatchers, has } from './emergency-forms.js';
import './text-emergency.js';

/** The risk category answering the incident's type, if any. */
async function categoryOf(incident) {
  return (await riskCategories()).find((c) => c.incidentType === incident.incidentType) ?? null;
}

export async function sceneMap(board, me) {
  const incident = board.incident;
  const scene = [incident.scene.lon, incident.scene.lat];
  const cells = cellsNear(await visibleCells(), scene, 0.012);
  const category = await categoryOf(incident);
  const [risk, nearest] = await Promise.all([
    category ? api(`/risk-map?category=${encodeURIComponent(category.code)}`) : { items: [] },
    has(me, dispatchers) && incident.status === 'active'
      ? api(`/emergency/nearest?lon=${scene[0]}&lat=${scene[1]}&count=5`) : { items: [] },
  ]);
  const levels = new Map(risk.items.map((c) => [c.gridCellId, c.level]));
  const nearby = await resourcesById(nearest.items.map((s) => s.resourceId));
  const points = [scene, ...board.resources.map((r) => [r.position.lon, r.position.lat]), ...nearby.map((r) => [r.position.lon, r.position.lat])];
  // The frame: the cells around the scene, widened to every marker.
  const frame = [...cells, ...points.map(([lon, lat]) => ({ geometry: { coordinates: [[[lon, lat], [lon + 1e-4, lat + 1e-4]]] } }))];
  const { width, height, project } = projection(frame, 600, 0.002);
  const size = Math.max(width, height) / 70;
  const map = svg('svg', { id: 'em-map', viewBox: `0 0 ${width} ${height}`, class: 'point-map', role: 'img', 'aria-label': t('em.map') });
  map.append(svg('g', {}, cells.map((cell) => {
    const level = levels.get(cell.id) ?? 'blue';
    return svg('path', { d: cellPath(cell, project), class: 'cell', fill: severityColour[level], 'fill-opacity': level === 'blue' ? '0.15' : '0.55', 'data-cell': cell.id, 'data-risk': level }, [svg('title', {}, [cell.name])]);
  })));
  const at = ([lon, lat]) => project([lon, lat]).map((v) => v.toFixed(1));
  for (const r of board.resources) {
    const [x, y] = at([r.position.lon, r.position.lat]);
    map.append(svg('rect', { x: x - size, y: y - size, width: 2 * size, height: 2 * size, fill: '#1565c0', stroke: '#fff', 'data-resource': r.code, 'data-status': r.status }, [svg('title', {}, [`${r.code} ${r.name} · ${t(`resource.${r.status}`)}`])]));
  }
  nearby.forEach((r, i) => {
    const [x, y] = at([r.position.lon, r.position.lat]);
    map.append(svg('g', { 'data-suggested': r.code }, [svg('circle', { cx: x, cy: y, r: size, fill: '#2e7d32', stroke: '#fff' }),
      svg('text', { x, y: y + size / 2, 'text-anchor': 'middle', 'font-size': size * 1.3, fill: '#fff' }, [String(i + 1)])]));
  });
  const [sx, sy] = at(scene);
  map.append(svg('circle', { cx: sx, cy: sy, r: size * 1.3, fill: '#d32f2f', stroke: '#fff', 'stroke-width': size / 3, 'data-scene': incident.number }));
  const suggestions = nearest.items.map((s, i) => element('li', { dataset: { suggested: nearby[i]?.code ?? s.resourceId } }, [
    t('em.suggestion', { n: i + 1, code: nearby[i]?.code ?? s.resourceId, name: nearby[i]?.name ?? '', km: (s.distanceMetres / 1000).toFixed(1), min: (s.etaSeconds / 60).toFixed(0), how: t(`em.measure.${s.measure}`) }),
  ]));
  return [
    element('h3', { textContent: t('em.map') }),
    element('p', { className: 'muted', textContent: category ? t('em.mapLegend', { category: category.name }) : t('em.mapLegendNone') }),
    map,
    ...(suggestions.length ? [element('h4', { textContent: t('em.nearest') }), element('ol', { id: 'em-nearest' }, suggestions)] : []),
  ];
}

/** The resources named, read in scope (the suggestions carry ids). */
async function resourcesById(ids) {
  return Promise.all(ids.map((id) => api(`/emergency/resources/${encodeURIComponent(id)}`)));
}
