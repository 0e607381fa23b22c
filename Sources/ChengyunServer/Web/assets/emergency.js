// The emergency command board (应急指挥): incidents in my area and the board of one — facts and
// level, tasks by owner with their reports, resource requests with the nearest available, the log —
// with the commander's actions (activate a plan, change the level, log, close), redrawn live from
// the stream.
import { api } from './api.js';
import { t } from './i18n.js';
import { element, liveRedraws, pageStream } from './dom.js';
import { problemText } from './report-form.js';
import { actionForm, commanders, dispatchers, field, has, levels, numeral, reporters, select, taskEventsFrom, when } from './emergency-forms.js';
import { reportSection, reviewSection, statisticsSection } from './emergency-report.js';
import { materialsSection } from './emergency-materials.js';
import { sceneMap } from './emergency-map.js';
import './text-emergency.js';

let stream = null;

function taskRows(board, me, status, redraw) {
  const commander = has(me, [...commanders, 'dispatcher']);
  // By owner (a working group or a department), each owner's tasks by deadline.
  const tasks = board.tasks.filter((task) => task.status !== 'cancelled')
    .sort((a, b) => a.ownerName.localeCompare(b.ownerName, 'zh') || a.deadline - b.deadline);
  return tasks.map((task) => {
    const mine = commander || task.departmentIds.includes(me.departmentId);
    const buttons = !mine || board.incident.status !== 'active' ? [] : taskEventsFrom[task.status] ?? [];
    const report = (event) => {
      const reason = event === 'block' ? prompt(t('em.blockReason')) : undefined;
      if (event === 'block' && !reason) return;
      api(`/emergency/incidents/${board.incident.id}/tasks/${task.id}/events`, { method: 'POST', body: { event, reason } })
        .then(() => redraw(), (e) => { status.textContent = problemText(e); });
    };
    return element('tr', { dataset: { step: task.stepCode, status: task.status } }, [
      element('td', { textContent: task.stepCode }),
      element('td', { textContent: task.title }),
      element('td', { textContent: task.ownerName }),
      element('td', {}, [element('span', { className: `chip task-${task.status}`, textContent: t(`task.${task.status}`) })]),
      element('td', { textContent: `${when(task.deadline)}${task.blockedReason ? ` · ${task.blockedReason}` : ''}` }),
      element('td', {}, buttons.map((event) => {
        const button = element('button', { type: 'button', textContent: t(`taskEvent.${event}`), dataset: { event } });
        button.addEventListener('click', () => report(event));
        return button;
      })),
    ]);
  });
}

function requestItems(board, me, status, redraw) {
  return board.requests.map((request) => {
    const item = element('li', { dataset: { request: request.id } },
      [`${request.kind}${request.capability ? `/${request.capability}` : ''} × ${request.quantity}（${request.assigned}）`]);
    if (has(me, dispatchers) && board.incident.status === 'active' && request.assigned < request.quantity) {
      const button = element('button', { type: 'button', textContent: t('em.assignNearest'), dataset: { assign: request.id } });
      button.addEventListener('click', async () => {
        try {
          const { lon, lat } = board.incident.scene;
          const near = await api(`/emergency/nearest?lon=${lon}&lat=${lat}&count=1&kind=${request.kind}${request.capability ? `&capability=${request.capability}` : ''}`);
          if (near.items.length === 0) { status.textContent = t('em.noneNearby'); return; }
          const resource = await api(`/emergency/incidents/${board.incident.id}/resources`, { method: 'POST', body: { resourceId: near.items[0].resourceId, requestId: request.id } });
          status.textContent = t('em.assigned', { code: resource.code });
          redraw();
        } catch (e) { status.textContent = problemText(e); }
      });
      item.append(' ', button);
    }
    return item;
  });
}

function commandForms(board, me, plans, status, redraw) {
  const incident = board.incident;
  if (!has(me, commanders) || incident.status === 'closed') return [];
  const base = `/emergency/incidents/${incident.id}`;
  const levelOptions = levels.map((l) => [l, `${numeral[l]} 级`]);
  const forms = [];
  if (incident.status === 'reported') {
    const plan = select(plans.filter((p) => p.incidentType === incident.incidentType).map((p) => [p.code, `${p.name} v${p.version}`]));
    const level = select(levelOptions, board.suggestedLevel ?? 'IV');
    const reason = element('input', {});
    forms.push(actionForm('activate', [...field('em-plan', t('em.plan'), plan), ...field('em-level', t('em.level'), level), ...field('em-reason', t('em.reason'), reason)],
      t('em.activate'), () => api(`${base}/activation`, { method: 'POST', body: { plan: plan.value, level: level.value, reason: reason.value.trim() || undefined } }),
      (b) => { redraw(); return t('em.activated', { level: numeral[b.incident.level] }); }, status));
  } else {
    const level = select(levelOptions, board.suggestedLevel ?? incident.level);
    const reason = element('input', {});
    forms.push(actionForm('level', [...field('em-new-level', t('em.level'), level), ...field('em-level-reason', t('em.reason'), reason)],
      t('em.changeLevel'), () => api(`${base}/level`, { method: 'POST', body: { level: level.value, reason: reason.value.trim() } }),
      (b) => { redraw(); return t('em.levelChanged', { level: numeral[b.incident.level] }); }, status));
    const summary = element('input', {});
    forms.push(actionForm('close', field('em-summary', t('em.summary'), summary), t('em.closeIncident'),
      () => api(`${base}/close`, { method: 'POST', body: { summary: summary.value.trim() } }), () => { redraw(); return t('em.closed'); }, status));
  }
  const kind = select(['situation', 'decision', 'order', 'report'].map((k) => [k, t(`log.${k}`)]));
  const text = element('input', {});
  forms.push(actionForm('log', [...field('em-log-kind', t('em.logKind'), kind), ...field('em-log-text', t('em.logText'), text)], t('em.addLog'),
    () => api(`${base}/log`, { method: 'POST', body: { kind: kind.value, text: text.value.trim() } }), () => { redraw(); return t('em.logged'); }, status));
  return forms;
}

// Each board someone asks for (opened, or redrawn after an action) is numbered: one asked for
// earlier, or a live redraw begun before it, never draws over it once its fetches are done.
let boardDraws = 0;

async function showBoard(holder, id, me, plans, free = null) {
  const draw = free ? boardDraws : ++boardDraws;
  const board = await api(`/emergency/incidents/${encodeURIComponent(id)}`);
  const incident = board.incident;
  const status = element('p', { id: 'em-status', role: 'status' });
  const redraw = () => showBoard(holder, id, me, plans).catch((e) => { status.textContent = problemText(e); });
  const [scene, materials, review] = await Promise.all([sceneMap(board, me), materialsSection(board, me, status, redraw),
    incident.status === 'closed' ? reviewSection(incident).then((r) => [r]) : []]);
  if (draw !== boardDraws) return;
  // A live redraw redraws the board on screen only, and gives way to a form someone began on meanwhile.
  if (free && (document.getElementById('em-board')?.dataset.number !== incident.number || !free())) return;
  const facts = Object.entries(incident.facts).map(([k, v]) => `${k}=${v}`).join('，') || '—';
  holder.replaceChildren(element('section', { id: 'em-board', className: 'card', dataset: { number: incident.number, status: incident.status, level: incident.level ?? '' } }, [
    element('h2', { textContent: `${incident.number} ${incident.title}${incident.drill ? `（${t('em.drill')}）` : ''}` }),
    element('p', { className: 'facts', textContent: [
      `${t('em.status')}：${t(`em.status.${incident.status}`)}`,
      `${t('em.level')}：${incident.level ? `${numeral[incident.level]} 级` : '—'}`,
      `${t('em.suggested')}：${board.suggestedLevel ? `${numeral[board.suggestedLevel]} 级` : '—'}`,
      `${t('em.command')}：${incident.commandAreaName ?? '—'}`,
      `${t('em.headquarters')}：${incident.headquarters ?? '—'}`,
      `${t('em.facts')}：${facts}`,
      `${t('em.nextReport')}：${when(board.nextReportDue)}`,
    ].join(' · ') }),
    status,
    ...commandForms(board, me, plans, status, redraw),
    ...scene,
    element('h3', { textContent: t('em.tasks') }),
    element('table', { id: 'em-tasks' }, [
      element('thead', {}, [element('tr', {}, [t('em.step'), t('em.tasks'), t('em.owner'), t('em.status'), t('em.deadline'), ''].map((h) => element('th', { scope: 'col', textContent: h })))]),
      element('tbody', {}, taskRows(board, me, status, redraw)),
    ]),
    element('h3', { textContent: t('em.requests') }),
    element('ul', { id: 'em-requests' }, requestItems(board, me, status, redraw)),
    ...materials,
    element('h3', { textContent: t('em.resources') }),
    element('ul', { id: 'em-resources' }, board.resources.map((r) => element('li', { dataset: { resource: r.code, status: r.status }, textContent: `${r.code} ${r.name} · ${t(`resource.${r.status}`)}` }))),
    ...review,
    element('h3', { textContent: t('em.log') }),
    element('ol', { id: 'em-log' }, board.log.map((line) => element('li', { dataset: { kind: line.kind } }, [
      `${when(line.at)} · ${t(`log.${line.kind}`)} · ${line.actorName}：${line.text}`,
      ...board.attachments.filter((a) => a.logSeq === line.seq).map((a) => {
        const href = `/api/v1/emergency/incidents/${incident.id}/attachments/${a.attachmentId}`;
        return a.contentType.startsWith('image/') ? element('img', { className: 'em-photo', src: href, alt: a.name })
          : element('a', { href, textContent: a.name });
      }),
    ]))),
  ]));
}

export async function emergency(page, me) {
  if (stream) stream.close();
  const [incidents, plans, modes] = await Promise.all([api('/emergency/incidents'), api('/emergency/plans'), api('/emergency/modes')]);
  if (!page.isConnected) return; // left while it fetched
  const boardHolder = element('div', { id: 'em-board-holder' });
  const status = element('p', { id: 'em-page-status', role: 'status' });
  const redrawAll = () => emergency(page, me);
  const wartime = modes.items.filter((m) => m.mode === 'wartime');
  const rows = incidents.items.map((incident) => {
    const open = element('button', { type: 'button', textContent: t('em.open'), dataset: { open: incident.number } });
    open.addEventListener('click', () => showBoard(boardHolder, incident.id, me, plans.items).catch((e) => { status.textContent = problemText(e); }));
    return element('tr', { dataset: { number: incident.number, status: incident.status } }, [
      element('td', { textContent: incident.number }),
      element('td', { textContent: `${incident.title}${incident.drill ? `（${t('em.drill')}）` : ''}` }),
      element('td', { textContent: incident.level ? `${numeral[incident.level]} 级` : '—' }),
      element('td', { textContent: t(`em.status.${incident.status}`) }),
      element('td', { textContent: incident.commandAreaName ?? '—' }),
      element('td', {}, [open]),
    ]);
  });
  const children = [
    element('h1', { textContent: t('em.title') }),
    element('p', { id: 'em-modes', textContent: wartime.length === 0 ? t('em.allPeace') : wartime.map((m) => `${m.areaName}：${t('em.wartime')}（${m.reason}）`).join('；') }),
    status,
  ];
  if (has(me, reporters)) children.push(...await reportSection(plans.items, redrawAll));
  if (has(me, commanders)) children.push(await statisticsSection());
  children.push(element('section', {}, [element('h2', { textContent: t('em.incidents') }),
    rows.length === 0 ? element('p', { className: 'muted', textContent: t('em.none') })
      : element('table', { id: 'em-incidents' }, [
        element('thead', {}, [element('tr', {}, [t('em.number'), t('em.reportTitle'), t('em.level'), t('em.status'), t('em.command'), ''].map((h) => element('th', { scope: 'col', textContent: h })))]),
        element('tbody', {}, rows)])]), boardHolder);
  page.replaceChildren(...children);
  // Live: a change to the open incident redraws its board — not while a form on it is being filled
  // in (a level chosen counts), but once it is left (`liveRedraws`).
  let changed = null;
  const request = liveRedraws(boardHolder, () => boardHolder.querySelectorAll('input, select, textarea'),
    (free) => (document.getElementById('em-board')?.dataset.number === changed.number
      ? showBoard(boardHolder, changed.id, me, plans.items, free) : undefined));
  stream = pageStream('/api/v1/monitoring/stream', page);
  stream.addEventListener('incident', (event) => {
    if (!document.body.contains(boardHolder)) { event.target.close(); return; }
    const incident = JSON.parse(event.data);
    if (document.getElementById('em-board')?.dataset.number !== incident.number) return;
    changed = incident;
    request();
  });
}
