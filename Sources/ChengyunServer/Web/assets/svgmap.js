// Our own SVG maps of the grid: a projection from longitude and latitude to the plane, cell
// outlines, and a small map that shows one point and lets a finger move it (phone report, case).
import { all } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export const svg = (tag, attributes = {}, children = []) => {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
};

/**
 * Longitude and latitude to a plane `width` wide, y down, scaled for the latitude so squares stay
 * square; `unproject` is its inverse. `margin` (in degrees) widens the box around the cells.
 */
export function projection(cells, width = 1000, margin = 0) {
  const points = cells.flatMap((c) => c.geometry.coordinates[0]);
  const minLon = Math.min(...points.map((p) => p[0])) - margin, maxLon = Math.max(...points.map((p) => p[0])) + margin;
  const minLat = Math.min(...points.map((p) => p[1])) - margin, maxLat = Math.max(...points.map((p) => p[1])) + margin;
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const height = Math.max(200, Math.round(width * (maxLat - minLat) / ((maxLon - minLon) * k || 1)));
  return {
    width, height,
    project: ([lon, lat]) => [(lon - minLon) / (maxLon - minLon) * width, (maxLat - lat) / (maxLat - minLat) * height],
    unproject: ([x, y]) => [minLon + x / width * (maxLon - minLon), maxLat - y / height * (maxLat - minLat)],
  };
}

/** The path of a cell's rings in projected coordinates. */
export const cellPath = (cell, project) =>
  cell.geometry.coordinates.map((ring) => 'M' + ring.map((p) => project(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z').join('');

/** The point of an SVG's own coordinates under a pointer event. */
export function pointerPoint(map, event) {
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(map.getScreenCTM().inverse());
  return [point.x, point.y];
}

let cellsOnce = null;
/** The grid cells the caller may see, fetched once per page load. */
export function visibleCells() {
  cellsOnce ??= all('/grid-cells');
  return cellsOnce;
}

/** Cells whose outline comes within `radius` degrees of a point. */
export function cellsNear(cells, [lon, lat], radius = 0.005) {
  return cells.filter((c) => c.geometry.coordinates[0].some(([x, y]) => Math.abs(x - lon) < radius && Math.abs(y - lat) < radius));
}

/**
 * A small map of `cells` with a pin at `point` ([lon, lat] or null). With `onPick`, a tap moves
 * the pin there and reports the new position; `setPoint` moves it from outside (a GPS fix).
 */
export function pointMap(cells, point, { onPick, label, id } = {}) {
  const { width, height, project, unproject } = projection(cells, 600, 0.001);
  const map = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: `point-map${onPick ? ' pickable' : ''}`, role: 'img', 'aria-label': label ?? '' });
  if (id) map.id = id;
  map.append(svg('g', {}, cells.map((cell) => svg('path', { d: cellPath(cell, project), class: 'cell', 'data-cell': cell.id }, [svg('title', {}, [cell.name])]))));
  const size = Math.max(width, height) / 60;
  const pin = svg('g', { class: 'pin' }, [svg('circle', { r: size, fill: '#d32f2f', stroke: '#fff', 'stroke-width': size / 3 })]);
  const setPoint = (next) => {
    if (!next) { pin.remove(); return; }
    const [x, y] = project(next);
    pin.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
    map.append(pin);
    map.dataset.point = next.map((v) => v.toFixed(6)).join(',');
  };
  setPoint(point);
  if (onPick) {
    map.addEventListener('click', (event) => {
      const picked = unproject(pointerPoint(map, event));
      setPoint(picked);
      onPick(picked);
    });
  }
  return { node: map, setPoint };
}
