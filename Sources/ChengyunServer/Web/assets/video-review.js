// Video-AI review (视频事件审核): the detections waiting, each snapshot with its box drawn over it;
// the intake operator accepts one into a case or discards it with a reason. Below, each class's
// threshold and review precision (set by a platform administrator), and the cameras' views.
import { api } from './api.js';
import { t, currentLanguage } from './i18n.js';
import './text-intake.js';
import { element, liveRedraws, markLive, pageStream, table } from './dom.js';
import { problemText } from './report-form.js';

const svgNS = 'http://www.w3.org/2000/svg';
let stream = null;
const when = (ms) => new Date(ms).toLocaleString();
const percent = (value) => (value == null ? '—' : `${Math.round(value * 100)}%`);
const reasons = ['false_detection', 'not_violation', 'duplicate', 'already_handled', 'other'];

/** The snapshot with the detection's box drawn over it, in the picture's own fractions. */
function snapshot(detection, label) {
  const svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('viewBox', '0 0 1 1');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const box = document.createElementNS(svgNS, 'rect');
  const { x, y, width, height } = detection.box;
  for (const [name, value] of Object.entries({ x, y, width, height })) box.setAttribute(name, String(value));
  box.setAttribute('class', 'detection-box');
  svg.append(box);
  const img = element('img', {
    src: `/api/v1/video/detections/${encodeURIComponent(detection.id)}/snapshot`, alt: label, loading: 'lazy',
  });
  return element('figure', { className: 'snapshot' }, [img, svg]);
}

function reviewForm(detection, videoClass, me, after) {
  const note = element('input', { className: 'video-note', placeholder: t('video.note'), maxLength: 500 });
  const plate = element('input', { className: 'video-plate', placeholder: t('video.plate'), value: detection.fields?.plate_number ?? '' });
  const reason = element('select', { className: 'video-reason', ariaLabel: t('video.reason') },
    reasons.map((r) => element('option', { value: r, textContent: t(`video.reason.${r}`) })));
  const status = element('p', { className: 'muted', role: 'status' });
  const act = async (path, body) => {
    status.className = 'muted';
    try {
      const done = await api(`/video/detections/${encodeURIComponent(detection.id)}/${path}`, { method: 'POST', body });
      after(done);
    } catch (failure) {
      status.className = 'error';
      status.textContent = problemText(failure);
    }
  };
  const accept = element('button', { type: 'button', className: 'primary video-accept', textContent: t('video.accept') });
  accept.addEventListener('click', () => {
    const body = {};
    if (note.value.trim()) body.note = note.value.trim();
    if (plate.value.trim()) body.customFields = { plate_number: plate.value.trim() };
    act('accept', body);
  });
  const discard = element('button', { type: 'button', className: 'video-discard', textContent: t('video.discard') });
  discard.addEventListener('click', () => {
    const body = { reason: reason.value };
    if (note.value.trim()) body.note = note.value.trim();
    act('discard', body);
  });
  if (!me.roles.includes('intake')) return element('div');
  const parking = videoClass?.matterCode === 'E0505';
  return element('div', { className: 'video-actions' }, [
    note, ...(parking ? [plate] : []), accept, reason, discard, status,
  ]);
}

function detectionCard(detection, classes, me) {
  const videoClass = classes.get(detection.classCode)?.videoClass;
  const name = videoClass ? (currentLanguage() === 'en' ? videoClass.nameEn : videoClass.name) : detection.classCode;
  const outcome = element('p', { className: 'ok video-outcome', role: 'status' });
  const card = element('article', { className: 'card video-card', dataset: { id: detection.id, state: detection.state, class: detection.classCode } });
  const show = (done) => {
    card.dataset.state = done.state;
    form.remove();
    if (done.state === 'accepted') {
      outcome.replaceChildren(t('video.accepted'), ' ',
        element('a', { href: `#/case/${done.caseId}`, className: 'video-case', textContent: t('video.openCase') }));
    } else {
      outcome.textContent = t('video.discarded', { reason: t(`video.reason.${done.discardReason}`) });
    }
  };
  const reviewable = detection.state === 'pending' || detection.state === 'suppressed';
  const form = reviewable ? reviewForm(detection, videoClass, me, show) : element('div');
  if (!reviewable) show(detection);
  card.append(
    snapshot(detection, name),
    element('div', { className: 'video-facts' }, [
      element('h3', { textContent: name }),
      element('p', {}, [
        element('span', { className: 'badge', textContent: `${t('video.confidence')} ${percent(detection.confidence)}` }), ' ',
        element('span', { className: 'badge', textContent: t('video.sightings', { n: detection.sightings }) }),
      ]),
      element('p', { className: 'muted', textContent: `${t('video.camera')} ${detection.cameraCode} · ${t('video.seen', { first: when(detection.detectedAt), last: when(detection.lastDetectedAt) })}` }),
      form, outcome,
    ]));
  return card;
}

function classTable(classes, me) {
  // Thresholds are city-wide: a platform-wide administrator's (one whose area is the whole city).
  const admin = me.roles.includes('admin') && me.areaPath != null && me.areaPath.split('/').filter(Boolean).length <= 1;
  const rows = [...classes.values()].map(({ videoClass: c, review: r }) => {
    const threshold = element('input', { type: 'number', min: 0.05, max: 0.99, step: 0.01, value: c.threshold, className: 'video-threshold', disabled: !admin, ariaLabel: t('video.threshold') });
    const save = element('button', { type: 'button', textContent: t('video.save'), hidden: !admin });
    const said = element('span', { className: 'muted' });
    save.addEventListener('click', async () => {
      try {
        await api(`/video/classes/${c.code}`, { method: 'PUT', body: { threshold: Number(threshold.value) } });
        said.className = 'ok';
        said.textContent = t('video.saved');
      } catch (failure) {
        said.className = 'error';
        said.textContent = problemText(failure);
      }
    });
    return element('tr', { dataset: { class: c.code } }, [
      element('td', { textContent: currentLanguage() === 'en' ? c.nameEn : c.name }),
      element('td', { textContent: c.matterCode }),
      element('td', {}, [threshold, ' ', save, ' ', said]),
      element('td', { textContent: `${r.pending}/${r.suppressed}/${r.accepted}/${r.discarded}` }),
      element('td', { className: 'video-precision', textContent: percent(r.precision) }),
      element('td', { textContent: r.suggestedThreshold == null ? '—' : r.suggestedThreshold.toFixed(2) }),
    ]);
  });
  const headers = ['video.class', 'video.matter', 'video.threshold', 'video.reviewed', 'video.precision', 'video.suggested'];
  return element('table', { id: 'video-classes' }, [
    element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: t(h) })))]),
    element('tbody', {}, rows),
  ]);
}

export async function video(page, me) {
  const stateSelect = element('select', { id: 'video-state', ariaLabel: t('video.state') },
    ['pending', 'suppressed', 'accepted', 'discarded'].map((s) => element('option', { value: s, textContent: t(`video.state.${s}`) })));
  const refresh = element('button', { type: 'button', textContent: t('video.refresh') });
  const list = element('div', { id: 'video-queue', className: 'video-queue' });
  const [classList, cameras] = await Promise.all([api('/video/classes'), api('/video/cameras')]);
  const classes = new Map(classList.items.map((item) => [item.videoClass.code, item]));
  // `free`: a live reload's check, after its fetch, that nobody began on a card meanwhile.
  const load = async (free = () => true) => {
    try {
      const answer = await api(`/video/detections?state=${stateSelect.value}&limit=50`);
      if (!free()) return;
      list.replaceChildren(...(answer.items.length === 0
        ? [element('p', { className: 'muted', textContent: t('video.none') })]
        : answer.items.map((d) => detectionCard(d, classes, me))));
    } catch (failure) {
      list.replaceChildren(element('p', { className: 'error', role: 'alert', textContent: problemText(failure) }));
    }
  };
  stateSelect.addEventListener('change', () => load());
  refresh.addEventListener('click', () => load());
  await load();
  if (!page.isConnected) return; // left while it loaded: no stream for a page not shown
  // Live: a detection reviewed elsewhere shows its outcome in place; one newly put to review
  // reloads the list — not while this operator is typing a plate or choosing a reason, but once
  // they have left it (`liveRedraws`).
  stream?.close();
  const reload = liveRedraws(list, () => list.querySelectorAll('input, select'), load);
  const live = pageStream('/api/v1/monitoring/stream', page);
  stream = live;
  markLive(live, list);
  // Gone with the page: the stream holds one of the account's few stream slots.
  const watch = setInterval(() => {
    if (!document.body.contains(list)) { live.close(); clearInterval(watch); }
  }, 5000);
  live.addEventListener('detection', (message) => {
    if (!document.body.contains(list)) { live.close(); return; }
    const detection = JSON.parse(message.data);
    const card = [...list.querySelectorAll('.video-card')].find((c) => c.dataset.id === detection.id);
    const reviewed = detection.state === 'accepted' || detection.state === 'discarded';
    if (card) {
      if (reviewed && card.dataset.state !== detection.state) card.replaceWith(detectionCard(detection, classes, me));
      return;
    }
    if (detection.state !== stateSelect.value) return;
    reload();
  });
  page.replaceChildren(
    element('div', { className: 'card-head' }, [element('h1', { textContent: t('video.title') }), element('div', {}, [stateSelect, ' ', refresh])]),
    list,
    element('section', { className: 'card' }, [element('h2', { textContent: t('video.classes') }), classTable(classes, me)]),
    element('section', { className: 'card' }, [
      element('h2', { textContent: t('video.cameras') }),
      table([t('video.camera'), t('video.name'), t('video.view')], cameras.items.map((c) => [
        c.device.code, c.device.name,
        c.view ? t('video.view', { heading: c.view.heading, angle: c.view.angle, range: c.view.range }) : t('video.noView'),
      ])),
    ]),
  );
}
