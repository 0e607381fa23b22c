// The leader's cockpit (驾驶舱), for a 1920×1080 wall: KPI tiles, an SVG map of the grid cells
// coloured by open or overdue cases with case and alarm markers (clustered on screen, live from
// the monitoring stream), and cases per day by major category over 30 days. Our own SVG only.
import { all, api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import './text-cockpit.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attributes = {}, children = []) => {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
};
const severityColour = { red: '#d32f2f', orange: '#f57c00', yellow: '#fbc02d', blue: '#1e88e5' };
const CLUSTER_PX = 28;

let stream = null;

export async function cockpit(page) {
  if (stream) stream.close();
  const [cells, summary] = await Promise.all([all('/grid-cells'), api('/cockpit')]);
  const state = { colourBy: 'open', markers: new Map(summary.markers.map((m) => [`${m.kind}:${m.id}`, m])), summary };

  // Projection: longitude and latitude to a plane, y down, scaled for the latitude.
  const points = cells.flatMap((c) => c.geometry.coordinates[0]);
  const minLon = Math.min(...points.map((p) => p[0])), maxLon = Math.max(...points.map((p) => p[0]));
  const minLat = Math.min(...points.map((p) => p[1])), maxLat = Math.max(...points.map((p) => p[1]));
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const width = 1000, height = Math.max(200, Math.round(width * (maxLat - minLat) / ((maxLon - minLon) * k || 1)));
  const project = ([lon, lat]) => [(lon - minLon) / (maxLon - minLon) * width, (maxLat - lat) / (maxLat - minLat) * height];
  const view = { x: 0, y: 0, w: width, h: height };

  const map = svg('svg', { id: 'cockpit-map', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('cockpit.map') });
  const cellLayer = svg('g', { class: 'cells' });
  const markerLayer = svg('g', { class: 'markers' });
  map.append(cellLayer, markerLayer);
  const byCell = new Map(summary.cells.map((c) => [c.gridCellId, c]));
  const cellPaths = cells.map((cell) => {
    const d = cell.geometry.coordinates.map((ring) => 'M' + ring.map((p) => project(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z').join('');
    const path = svg('path', { d, class: 'cell', 'data-cell': cell.id }, [svg('title', {}, [cell.name])]);
    cellLayer.append(path);
    return [cell.id, path];
  });

  function colourCells() {
    const values = summary.cells.map((c) => c[state.colourBy]);
    const max = Math.max(1, ...values);
    for (const [id, path] of cellPaths) {
      const value = byCell.get(id)?.[state.colourBy] ?? 0;
      const share = value / max;
      path.setAttribute('fill', value === 0 ? '#eef3f8' : state.colourBy === 'open'
        ? `rgba(11, 92, 173, ${0.15 + 0.75 * share})` : `rgba(198, 40, 40, ${0.15 + 0.75 * share})`);
    }
  }

  /** Markers grouped by screen cell at the current zoom; a group of one is drawn as itself. */
  function drawMarkers() {
    const scale = view.w / map.clientWidth || 1;
    const size = CLUSTER_PX * scale;
    const groups = new Map();
    for (const marker of state.markers.values()) {
      const [x, y] = project([marker.lon, marker.lat]);
      if (x < view.x - size || x > view.x + view.w + size || y < view.y - size || y > view.y + view.h + size) continue;
      const key = `${Math.floor(x / size)}:${Math.floor(y / size)}`;
      const group = groups.get(key) ?? { x: 0, y: 0, items: [] };
      group.x += x; group.y += y; group.items.push(marker);
      groups.set(key, group);
    }
    const nodes = [];
    for (const group of groups.values()) {
      const x = group.x / group.items.length, y = group.y / group.items.length;
      const alarms = group.items.filter((m) => m.kind === 'alarm');
      const first = group.items[0];
      if (group.items.length === 1) {
        const colour = first.kind === 'alarm' ? severityColour[first.status] ?? '#555' : first.overdue ? '#c62828' : '#0b5cad';
        const node = first.kind === 'alarm'
          ? svg('path', { d: `M${x},${y - 7 * scale}L${x + 7 * scale},${y + 6 * scale}L${x - 7 * scale},${y + 6 * scale}Z`, fill: colour, class: 'marker alarm', 'data-id': first.id })
          : svg('circle', { cx: x, cy: y, r: 5 * scale, fill: colour, class: 'marker case', 'data-id': first.id });
        node.append(svg('title', {}, [`${first.label} · ${first.kind === 'alarm' ? t(`severity.${first.status}`) : t(`state.${first.status}`)}`]));
        node.addEventListener('click', () => showDetail(first));
        nodes.push(node);
      } else {
        const colour = alarms.length > 0 ? severityColour[alarms[0].status] ?? '#555' : '#0b5cad';
        const r = (9 + Math.min(12, Math.log2(group.items.length) * 2.5)) * scale;
        const cluster = svg('g', { class: 'cluster', 'data-count': group.items.length }, [
          svg('circle', { cx: x, cy: y, r, fill: colour, 'fill-opacity': 0.85, stroke: '#fff', 'stroke-width': 1.5 * scale }),
          svg('text', { x, y: y + 4 * scale, 'text-anchor': 'middle', 'font-size': 11 * scale, fill: '#fff' }, [String(group.items.length)]),
        ]);
        cluster.addEventListener('click', () => zoom(0.5, x, y));
        nodes.push(cluster);
      }
    }
    markerLayer.replaceChildren(...nodes);
    // What the map holds, for people and tests reading the page: markers of each kind.
    map.dataset.cases = String([...state.markers.values()].filter((m) => m.kind === 'case').length);
    map.dataset.alarms = String([...state.markers.values()].filter((m) => m.kind === 'alarm').length);
  }

  function setView() {
    map.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
    drawMarkers();
  }
  function zoom(factor, cx, cy) {
    const w = Math.min(width * 2, Math.max(width / 40, view.w * factor));
    const h = w * height / width;
    view.x = cx - (cx - view.x) * (w / view.w);
    view.y = cy - (cy - view.y) * (h / view.h);
    view.w = w; view.h = h;
    setView();
  }
  map.addEventListener('wheel', (event) => {
    event.preventDefault();
    const box = map.getBoundingClientRect();
    zoom(event.deltaY > 0 ? 1.25 : 0.8, view.x + (event.clientX - box.left) / box.width * view.w, view.y + (event.clientY - box.top) / box.height * view.h);
  }, { passive: false });
  let drag = null;
  map.addEventListener('pointerdown', (event) => { drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y }; });
  window.addEventListener('pointerup', () => { drag = null; });
  map.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const box = map.getBoundingClientRect();
    view.x = drag.vx - (event.clientX - drag.x) / box.width * view.w;
    view.y = drag.vy - (event.clientY - drag.y) / box.height * view.h;
    setView();
  });

  const detail = element('section', { className: 'card cockpit-detail', id: 'cockpit-detail', hidden: true });
  function showDetail(marker) {
    detail.hidden = false;
    detail.replaceChildren(
      element('h2', { textContent: marker.kind === 'alarm' ? `${t('cockpit.alarm')} · ${marker.label}` : `${t('case.title')} ${marker.label}` }),
      element('p', { textContent: marker.kind === 'alarm' ? t(`severity.${marker.status}`) : `${t(`state.${marker.status}`)}${marker.overdue ? ` · ${t('cockpit.overdue')}` : ''}` }),
      marker.kind === 'case' ? element('a', { href: `#/case/${marker.id}`, textContent: t('cockpit.openCase') }) : '',
    );
  }

  const tiles = element('div', { className: 'tiles cockpit-tiles', id: 'cockpit-tiles' });
  function drawTiles() {
    const s = state.summary;
    const open = (severity) => [...state.markers.values()].filter((m) => m.kind === 'alarm' && m.status === severity).length;
    const online = s.devicesByState.online ?? 0;
    const devices = Object.values(s.devicesByState).reduce((a, b) => a + b, 0);
    const tile = (label, value, extra = '') => element('div', { className: `tile ${extra}` }, [
      element('span', { className: 'tile-value', textContent: String(value) }), element('span', { className: 'tile-label', textContent: t(label) })]);
    tiles.replaceChildren(
      tile('cockpit.reported', s.today.reported), tile('cockpit.filed', s.today.filed), tile('cockpit.closed', s.today.closed),
      tile('cockpit.onTime', s.onTimeClosingRate == null ? '—' : `${(s.onTimeClosingRate * 100).toFixed(1)}%`),
      ...['red', 'orange', 'yellow', 'blue'].map((severity) => tile(`severity.${severity}`, open(severity), `alarm-${severity}`)),
      tile('cockpit.devicesOnline', `${online}/${devices}`),
    );
  }

  const toggle = element('div', { className: 'segmented', role: 'group', ariaLabel: t('cockpit.colourBy') }, ['open', 'overdue'].map((by) => {
    const button = element('button', { type: 'button', textContent: t(`cockpit.by.${by}`), dataset: { by } });
    button.setAttribute('aria-pressed', String(by === state.colourBy));
    button.addEventListener('click', () => {
      state.colourBy = by;
      for (const other of toggle.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other.dataset.by === by));
      colourCells();
    });
    return button;
  }));

  page.replaceChildren(
    element('h1', { textContent: t('cockpit.title') }),
    tiles,
    element('div', { className: 'cockpit-grid' }, [
      element('section', { className: 'card' }, [
        element('div', { className: 'card-head' }, [element('h2', { textContent: t('cockpit.map') }), toggle]), map,
        element('p', { className: 'muted', textContent: t('cockpit.mapHelp') }),
      ]),
      element('div', {}, [detail, element('section', { className: 'card' }, [element('h2', { textContent: t('cockpit.perDay') }), perDayChart(summary.casesPerDay)])]),
    ]),
  );
  colourCells();
  drawTiles();
  setView();

  // Live: alarms raised appear, cleared ones go, without a reload.
  stream = new EventSource('/api/v1/monitoring/stream');
  stream.addEventListener('alarm', (event) => {
    if (!document.body.contains(map)) { stream.close(); return; }
    const alarm = JSON.parse(event.data);
    const key = `alarm:${alarm.id}`;
    if (alarm.state === 'raised' || alarm.state === 'acknowledged') {
      state.markers.set(key, { id: alarm.id, kind: 'alarm', lon: alarm.lon, lat: alarm.lat, label: alarm.ruleName, status: alarm.severity, overdue: false });
    } else {
      state.markers.delete(key);
    }
    drawTiles();
    drawMarkers();
  });
}

/** Stacked bars: one per day, a colour per major category (the five busiest named). */
function perDayChart(counts) {
  const days = [...new Set(counts.map((c) => c.day))].sort();
  const totals = new Map();
  for (const c of counts) totals.set(c.category, (totals.get(c.category) ?? 0) + c.count);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([category]) => category);
  const palette = ['#0b5cad', '#2e7d32', '#f57c00', '#6a1b9a', '#00838f', '#9e9e9e'];
  const colour = (category) => palette[top.includes(category) ? top.indexOf(category) : 5];
  const width = 560, height = 220, pad = 28;
  const perDay = days.map((day) => counts.filter((c) => c.day === day));
  const max = Math.max(1, ...perDay.map((items) => items.reduce((a, c) => a + c.count, 0)));
  const bar = (width - pad * 2) / Math.max(1, days.length);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 40}`, class: 'chart', role: 'img', 'aria-label': t('cockpit.perDay') });
  chart.append(svg('line', { x1: pad, y1: height, x2: width - pad, y2: height, stroke: '#9aa8b6' }),
    svg('text', { x: 2, y: 12, 'font-size': 11, fill: '#5b6b7c' }, [String(max)]));
  days.forEach((day, index) => {
    let y = height;
    for (const item of perDay[index].sort((a, b) => a.category.localeCompare(b.category))) {
      const h = item.count / max * (height - 20);
      y -= h;
      chart.append(svg('rect', { x: pad + index * bar + 1, y, width: Math.max(1, bar - 2), height: h, fill: colour(item.category) },
        [svg('title', {}, [`${day} ${item.category}: ${item.count}`])]));
    }
    if (index % 5 === 0) chart.append(svg('text', { x: pad + index * bar, y: height + 14, 'font-size': 10, fill: '#5b6b7c' }, [day.slice(5)]));
  });
  [...top, t('cockpit.other')].forEach((category, index) => {
    chart.append(svg('rect', { x: pad + index * 90, y: height + 24, width: 10, height: 10, fill: palette[index] }),
      svg('text', { x: pad + index * 90 + 14, y: height + 33, 'font-size': 11, fill: '#1d2733' }, [category]));
  });
  return chart;
}
