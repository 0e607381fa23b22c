// The leader's cockpit (驾驶舱), for a 1920×1080 wall: KPI tiles, an SVG map of the grid cells
// coloured by open or overdue cases with case and alarm markers (clustered on screen, live from
// the monitoring stream), and cases per day by major category over 30 days. Our own SVG only.
import { all, api } from './api.js';
import { t } from './i18n.js';
import { element, pageStream } from './dom.js';
import { cellPath, projection, svg } from './svgmap.js';
import { hourlyChart, perDayChart, rankingChart, severityColour } from './charts.js';
import { riskLayer } from './risk-layer.js';
import { wartimePanel } from './cockpit-wartime.js';
import './text-cockpit.js';

const CLUSTER_PX = 40;

let stream = null;

/** The departments' evaluation for the ranking, where the caller may read it. */
async function evaluation(me) {
  if (!me.roles.some((r) => ['supervisor', 'leader', 'admin'].includes(r))) return null;
  return api('/evaluation');
}

export async function cockpit(page, me) {
  if (stream) stream.close();
  const [cells, summary, report, wartime] = await Promise.all([all('/grid-cells'), api('/cockpit'), evaluation(me), wartimePanel()]);
  // Left while it fetched (another page, or this one drawn anew): nothing to draw, no stream to open.
  if (!page.isConnected) return;
  const state = { colourBy: 'open', markers: new Map(summary.markers.map((m) => [`${m.kind}:${m.id}`, m])), summary };

  const { width, height, project } = projection(cells);
  const view = { x: 0, y: 0, w: width, h: height };

  const map = svg('svg', { id: 'cockpit-map', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('cockpit.map') });
  const cellLayer = svg('g', { class: 'cells' });
  const markerLayer = svg('g', { class: 'markers' });
  map.append(cellLayer, markerLayer);
  const byCell = new Map(summary.cells.map((c) => [c.gridCellId, c]));
  const cellPaths = cells.map((cell) => {
    const path = svg('path', { d: cellPath(cell, project), class: 'cell', 'data-cell': cell.id }, [svg('title', {}, [cell.name])]);
    cellLayer.append(path);
    return [cell.id, path];
  });
  const risk = await riskLayer(cellPaths);
  risk.select.hidden = true;
  risk.select.addEventListener('change', () => colourCells());

  function colourCells() {
    if (state.colourBy === 'risk') { risk.colour().catch(() => {}); return; }
    const values = summary.cells.map((c) => c[state.colourBy]);
    const max = Math.max(1, ...values);
    for (const [id, path] of cellPaths) {
      const value = byCell.get(id)?.[state.colourBy] ?? 0;
      const share = value / max;
      path.removeAttribute('fill-opacity');
      path.setAttribute('fill', value === 0 ? '#eef3f8' : state.colourBy === 'open'
        ? `rgba(11, 92, 173, ${0.15 + 0.75 * share})` : `rgba(198, 40, 40, ${0.15 + 0.75 * share})`);
    }
  }

  /** Where a marker sits on the plane, worked out once per marker rather than per redraw. */
  const placed = (marker) => {
    const [x, y] = project([marker.lon, marker.lat]);
    return Object.assign(marker, { x, y });
  };
  for (const marker of state.markers.values()) placed(marker);

  /**
   * Markers grouped by screen cell at the current zoom; a group of one is drawn as itself. A pan
   * draws a quarter view past each edge (`margin`), and later pan steps at the same zoom (the grid
   * is fixed per zoom) only move the viewBox until the view leaves that region; a zoom draws the
   * view alone, as it must redraw anyway.
   */
  let drawn = null;
  function drawMarkers(margin = 0) {
    const scale = view.w / map.clientWidth || 1;
    const size = CLUSTER_PX * scale;
    const groups = new Map();
    let cases = 0, alarmCount = 0;
    const [mx, my] = [view.w * margin + size, view.h * margin + size];
    const [left, right, top, bottom] = [view.x - mx, view.x + view.w + mx, view.y - my, view.y + view.h + my];
    drawn = { scale, left, right, top, bottom };
    for (const marker of state.markers.values()) {
      if (marker.kind === 'case') cases += 1; else alarmCount += 1;
      const { x, y } = marker;
      if (x < left || x > right || y < top || y > bottom) continue;
      const key = Math.floor(x / size) * 1e6 + Math.floor(y / size);
      let group = groups.get(key);
      if (!group) { group = { x: 0, y: 0, items: [] }; groups.set(key, group); }
      group.x += x; group.y += y; group.items.push(marker);
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
        node.dataset.key = `${first.kind}:${first.id}`;
        nodes.push(node);
      } else {
        // Cases fill the cluster (red when most are overdue); the worst alarm among them rings it.
        const overdue = group.items.filter((m) => m.kind === 'case' && m.overdue).length;
        const worst = ['red', 'orange', 'yellow', 'blue'].find((severity) => alarms.some((m) => m.status === severity));
        const fill = alarms.length === group.items.length ? severityColour[worst] : overdue * 2 > group.items.length - alarms.length ? '#c62828' : '#0b5cad';
        const r = (9 + Math.min(9, Math.log2(group.items.length) * 1.8)) * scale;
        const cluster = svg('g', { class: 'cluster', 'data-count': group.items.length, 'data-alarms': alarms.length, 'data-overdue': overdue, 'data-x': x, 'data-y': y }, [
          svg('circle', { cx: x, cy: y, r, fill, 'fill-opacity': 0.85, stroke: worst ? severityColour[worst] : '#fff', 'stroke-width': (worst ? 3 : 1.5) * scale }),
          svg('text', { x, y: y + 4 * scale, 'text-anchor': 'middle', 'font-size': 11 * scale, fill: '#fff' }, [String(group.items.length)]),
        ]);
        nodes.push(cluster);
      }
    }
    markerLayer.replaceChildren(...nodes);
    // What the map holds, for people and tests reading the page: markers of each kind.
    map.dataset.cases = String(cases);
    map.dataset.alarms = String(alarmCount);
  }
  // One listener for every marker: a marker opens its detail, a cluster zooms in on itself.
  markerLayer.addEventListener('click', (event) => {
    const marker = event.target.closest('[data-key]');
    if (marker) { showDetail(state.markers.get(marker.dataset.key)); return; }
    const cluster = event.target.closest('.cluster');
    if (cluster) zoom(0.5, Number(cluster.dataset.x), Number(cluster.dataset.y));
  });

  // Tooltips are made when the pointer first comes over a marker, not for every marker drawn.
  markerLayer.addEventListener('pointerover', (event) => {
    const node = event.target.closest('[data-key], .cluster');
    if (!node || node.querySelector('title')) return;
    const marker = node.dataset.key ? state.markers.get(node.dataset.key) : null;
    node.append(svg('title', {}, [marker
      ? `${marker.label} · ${marker.kind === 'alarm' ? t(`severity.${marker.status}`) : t(`state.${marker.status}`)}`
      : t('cockpit.cluster', { n: node.dataset.count, alarms: node.dataset.alarms, overdue: node.dataset.overdue })]));
  });

  // Redraws wait for the next frame, so a burst of wheel or pointer events costs one redraw.
  let pending = false;
  function scheduleDraw(margin) {
    const size = CLUSTER_PX * drawn?.scale;
    if (pending || (drawn?.scale === (view.w / map.clientWidth || 1) && view.x - size >= drawn.left && view.x + view.w + size <= drawn.right
      && view.y - size >= drawn.top && view.y + view.h + size <= drawn.bottom)) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; drawMarkers(margin); });
  }

  function setView(panning = false) {
    map.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
    scheduleDraw(panning ? 0.25 : 0);
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
    setView(true);
  });

  const detail = element('section', { className: 'card cockpit-detail', id: 'cockpit-detail', hidden: true });
  const hourly = element('section', { className: 'card', id: 'cockpit-hourly' });
  function drawHourly() {
    hourly.replaceChildren(element('h2', { textContent: t('cockpit.perHour') }), hourlyChart(state.summary.alarmsPerHour));
  }
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

  const toggle = element('div', { className: 'segmented', role: 'group', ariaLabel: t('cockpit.colourBy') }, ['open', 'overdue', 'risk'].map((by) => {
    const button = element('button', { type: 'button', textContent: t(`cockpit.by.${by}`), dataset: { by } });
    button.setAttribute('aria-pressed', String(by === state.colourBy));
    button.addEventListener('click', () => {
      state.colourBy = by;
      for (const other of toggle.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other.dataset.by === by));
      risk.select.hidden = by !== 'risk';
      colourCells();
    });
    return button;
  }));

  page.replaceChildren(
    element('h1', { textContent: t('cockpit.title') }),
    ...(wartime ? [wartime] : []),
    tiles,
    element('div', { className: 'cockpit-grid' }, [
      element('section', { className: 'card' }, [
        element('div', { className: 'card-head' }, [element('h2', { textContent: t('cockpit.map') }), toggle, risk.select]), map,
        element('p', { className: 'muted', textContent: t('cockpit.mapHelp') }),
      ]),
      element('div', { className: 'cockpit-side' }, [detail,
        element('section', { className: 'card' }, [element('h2', { textContent: t('cockpit.perDay') }), perDayChart(summary.casesPerDay)]),
        element('section', { className: 'card', id: 'cockpit-ranking' }, [element('h2', { textContent: t('cockpit.ranking') }),
          report ? rankingChart(report.departments) : element('p', { className: 'muted', textContent: t('cockpit.rankingHidden') })]),
        hourly]),
    ]),
  );
  colourCells();
  drawTiles();
  drawHourly();
  drawMarkers();

  /** A newly raised alarm joins the current hour's column (a new hour starts a new column). */
  function countRaised(alarm) {
    const hours = state.summary.alarmsPerHour;
    const at = alarm.raisedAt ?? Date.now();
    if (hours.length === 0 || at < hours.at(-1).hour) return;
    while (at >= hours.at(-1).hour + 3600000) hours.push({ hour: hours.at(-1).hour + 3600000, bySeverity: {} });
    hours.splice(0, Math.max(0, hours.length - 24));
    const last = hours.at(-1);
    last.bySeverity[alarm.severity] = (last.bySeverity[alarm.severity] ?? 0) + 1;
    drawHourly();
  }

  // Live: alarms raised appear, cleared ones go, without a reload.
  stream = pageStream('/api/v1/monitoring/stream', page);
  /**
   * Puts markers on the map (or takes them off, with `remove`) and redraws once: the live stream
   * feeds it, and it is what a load test calls to put 10,000 markers on the wall.
   */
  map.updateMarkers = (markers, remove = []) => {
    for (const marker of markers) state.markers.set(`${marker.kind}:${marker.id}`, placed(marker));
    for (const key of remove) state.markers.delete(key);
    drawTiles();
    drawMarkers();
  };
  // A cell turning red or leaving red is a warning: the risk layer, when shown, is redrawn.
  stream.addEventListener('warning', () => { if (state.colourBy === 'risk') colourCells(); });
  stream.addEventListener('alarm', (event) => {
    if (!document.body.contains(map)) { event.target.close(); return; }
    const alarm = JSON.parse(event.data);
    const key = `alarm:${alarm.id}`;
    if (alarm.state === 'raised' && !state.markers.has(key)) countRaised(alarm);
    if (alarm.state === 'raised' || alarm.state === 'acknowledged') {
      map.updateMarkers([{ id: alarm.id, kind: 'alarm', lon: alarm.lon, lat: alarm.lat, label: alarm.ruleName, status: alarm.severity, overdue: false }]);
    } else {
      map.updateMarkers([], [key]);
    }
  });
}
