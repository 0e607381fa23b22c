// The cockpit's charts, our own SVG: cases per day by major category, the departments ranked by
// their evaluation score, and alarms raised per hour by severity.
import { t } from './i18n.js';
import { svg } from './svgmap.js';

export const severityColour = { red: '#d32f2f', orange: '#f57c00', yellow: '#fbc02d', blue: '#1e88e5' };
const ink = '#1d2733', muted = '#5b6b7c', axis = '#9aa8b6';

/**
 * Stacked columns on one axis: `columns` [{ tick, stacks: [{ value, colour, title }] }], a tick
 * label every `tickEvery` columns, `below` px left under the axis for a legend.
 */
function stackedColumns({ label, className, columns, height, tickEvery, below = 22 }) {
  const width = 560, pad = 28;
  const max = Math.max(1, ...columns.map((c) => c.stacks.reduce((a, s) => a + s.value, 0)));
  const bar = (width - pad * 2) / Math.max(1, columns.length);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + below}`, class: `chart ${className}`, role: 'img', 'aria-label': label });
  chart.append(svg('line', { x1: pad, y1: height, x2: width - pad, y2: height, stroke: axis }),
    svg('text', { x: 2, y: 12, 'font-size': 11, fill: muted }, [String(max)]));
  columns.forEach((column, index) => {
    let y = height;
    for (const stack of column.stacks) {
      if (stack.value === 0) continue;
      const size = stack.value / max * (height - 20);
      y -= size;
      chart.append(svg('rect', { x: pad + index * bar + 1, y, width: Math.max(1, bar - 2), height: size, fill: stack.colour }, [svg('title', {}, [stack.title])]));
    }
    if (index % tickEvery === 0) chart.append(svg('text', { x: pad + index * bar, y: height + 14, 'font-size': 10, fill: muted }, [column.tick]));
  });
  chart.dataset.total = String(columns.reduce((a, c) => a + c.stacks.reduce((b, s) => b + s.value, 0), 0));
  return { chart, pad };
}

/** One column per day, a colour per major category (the five busiest named, the rest "other"). */
export function perDayChart(counts) {
  const days = [...new Set(counts.map((c) => c.day))].sort();
  const totals = new Map();
  for (const c of counts) totals.set(c.category, (totals.get(c.category) ?? 0) + c.count);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([category]) => category);
  const palette = ['#0b5cad', '#2e7d32', '#f57c00', '#6a1b9a', '#00838f', '#9e9e9e'];
  const colour = (category) => palette[top.includes(category) ? top.indexOf(category) : 5];
  const height = 220;
  const columns = days.map((day) => ({
    tick: day.slice(5),
    stacks: counts.filter((c) => c.day === day).sort((a, b) => a.category.localeCompare(b.category))
      .map((c) => ({ value: c.count, colour: colour(c.category), title: `${day} ${c.category}: ${c.count}` })),
  }));
  const { chart, pad } = stackedColumns({ label: t('cockpit.perDay'), className: 'per-day', columns, height, tickEvery: 5, below: 40 });
  [...top, t('cockpit.other')].forEach((category, index) => {
    chart.append(svg('rect', { x: pad + index * 90, y: height + 24, width: 10, height: 10, fill: palette[index] }),
      svg('text', { x: pad + index * 90 + 14, y: height + 33, 'font-size': 11, fill: ink }, [category]));
  });
  return chart;
}

/** Horizontal bars: the departments with a score, best first, with their grade (docs/domain.md §6). */
export function rankingChart(rows, limit = 10) {
  const ranked = rows.filter((r) => r.score != null).sort((a, b) => b.score - a.score).slice(0, limit);
  const width = 560, row = 24, left = 210, height = Math.max(1, ranked.length) * row + 8;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart ranking', role: 'img', 'aria-label': t('cockpit.ranking') });
  if (ranked.length === 0) {
    chart.append(svg('text', { x: 0, y: 18, 'font-size': 13, fill: muted }, [t('common.empty')]));
    return chart;
  }
  const gradeColour = { A: '#2e7d32', B: '#0b5cad', C: '#f9a825', D: '#f57c00', E: '#c62828' };
  ranked.forEach((r, index) => {
    const y = index * row + 4;
    const w = Math.max(1, (width - left - 70) * r.score / 100);
    chart.append(
      svg('text', { x: left - 8, y: y + 15, 'text-anchor': 'end', 'font-size': 12, fill: ink }, [`${index + 1}. ${r.name.length > 14 ? `${r.name.slice(0, 13)}…` : r.name}`]),
      svg('rect', { x: left, y: y + 3, width: w, height: row - 8, rx: 3, fill: gradeColour[r.grade] ?? '#607d8b', class: 'rank-bar', 'data-id': r.id },
        [svg('title', {}, [`${r.name}: ${r.score.toFixed(1)} (${r.grade ?? '—'})`])]),
      svg('text', { x: left + w + 6, y: y + 15, 'font-size': 12, fill: ink }, [`${r.score.toFixed(1)} ${r.grade ?? ''}`]),
    );
  });
  return chart;
}

/** One column per hour of the last 24, stacked by severity. */
export function hourlyChart(hours) {
  const hour = (h) => t('cockpit.hour', { h: new Date(h.hour).getHours() });
  const columns = hours.map((h) => ({
    tick: hour(h),
    stacks: ['blue', 'yellow', 'orange', 'red'].map((severity) => ({
      value: h.bySeverity[severity] ?? 0, colour: severityColour[severity], title: `${hour(h)} ${t(`severity.${severity}`)}: ${h.bySeverity[severity] ?? 0}` })),
  }));
  return stackedColumns({ label: t('cockpit.perHour'), className: 'hourly', columns, height: 160, tickEvery: 3 }).chart;
}

/** A small line of recent values (gaps left open), for a table cell. */
export function sparkline(values, { width = 120, height = 28 } = {}) {
  const known = values.filter((v) => v != null);
  const line = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', role: 'img', 'aria-label': known.map((v) => v.toFixed(1)).join(', ') });
  if (known.length < 2) return line;
  const low = Math.min(...known), high = Math.max(...known), span = high - low || 1;
  const x = (i) => (i / Math.max(1, values.length - 1)) * (width - 4) + 2;
  const y = (v) => height - 3 - ((v - low) / span) * (height - 6);
  let d = '', pen = false;
  values.forEach((v, i) => {
    if (v == null) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  line.append(svg('path', { d, fill: 'none', stroke: '#0b5cad', 'stroke-width': 1.5 }));
  return line;
}

/** History as a solid line and the forecast after it dashed, with a tick under each few periods. */
export function forecastChart(history, points, label) {
  const width = 640, height = 220, pad = 34;
  const series = [...history.map((h) => ({ at: h.periodStart, value: h.value, kind: 'history' })), ...points.map((p) => ({ at: p.periodStart, value: p.value, kind: 'forecast' }))];
  const known = series.filter((p) => p.value != null).map((p) => p.value);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 24}`, class: 'chart forecast', role: 'img', 'aria-label': label });
  if (known.length === 0) return chart;
  const low = Math.min(0, ...known), high = Math.max(...known) || 1;
  const x = (i) => pad + (i / Math.max(1, series.length - 1)) * (width - pad * 2);
  const y = (v) => height - ((v - low) / (high - low || 1)) * (height - 20);
  chart.append(svg('line', { x1: pad, y1: height, x2: width - pad, y2: height, stroke: axis }),
    svg('text', { x: 2, y: 14, 'font-size': 11, fill: muted }, [high.toFixed(1)]), svg('text', { x: 2, y: height, 'font-size': 11, fill: muted }, [low.toFixed(1)]));
  for (const kind of ['history', 'forecast']) {
    let d = '', pen = false;
    series.forEach((p, i) => {
      const inside = p.kind === kind || (kind === 'forecast' && i === history.length - 1);
      if (!inside || p.value == null) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
      pen = true;
    });
    chart.append(svg('path', { d, fill: 'none', stroke: kind === 'history' ? '#0b5cad' : '#f57c00', 'stroke-width': 2, 'stroke-dasharray': kind === 'forecast' ? '6 4' : 'none', class: `line-${kind}` }));
  }
  const every = Math.max(1, Math.ceil(series.length / 8));
  series.forEach((p, i) => {
    if (i % every !== 0) return;
    const date = new Date(p.at);
    chart.append(svg('text', { x: x(i) - 12, y: height + 16, 'font-size': 10, fill: muted }, [`${date.getMonth() + 1}-${date.getDate()}`]));
  });
  return chart;
}
