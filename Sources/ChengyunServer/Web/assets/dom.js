// Small DOM helpers shared by the pages.
import { t } from './i18n.js';

/** An element with properties (`dataset` merged, not assigned) and children. */
export function element(tag, props = {}, children = []) {
  const { dataset, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(node.dataset, dataset);
  // What the page draws is the field's default too: `editing()` tells a person's change from it.
  if ('value' in rest && 'defaultValue' in node && !['checkbox', 'radio'].includes(node.type)) node.defaultValue = rest.value;
  if ('checked' in rest) node.defaultChecked = rest.checked;
  if ('selected' in rest && tag === 'option') node.defaultSelected = rest.selected;
  node.append(...children);
  return node;
}

/**
 * A server-sent event stream for a page, closed as soon as that page is left (app.js announces
 * each new page with a `pagechange` event once the old one is gone): an open stream holds one of
 * the browser's six connections to the server and one of the account's stream slots, so one left
 * open by a page no longer shown would starve the next page's requests.
 */
export function pageStream(url, page) {
  const stream = new EventSource(url);
  // Opened by a render already left (its fetches answered after the next page began): closed now.
  if (!page.isConnected) {
    stream.close();
    return stream;
  }
  const leave = () => {
    if (page.isConnected) return;
    stream.close();
    window.removeEventListener('pagechange', leave);
  };
  window.addEventListener('pagechange', leave);
  return stream;
}

/**
 * Marks `node` with `data-live="open"` while `stream` is connected (a fresh stream replays nothing
 * sent before it opened, so the browser suite waits for the mark), and takes it off while the
 * stream reconnects.
 */
export function markLive(stream, node) {
  stream.addEventListener('open', () => { node.dataset.live = 'open'; });
  stream.addEventListener('error', () => { delete node.dataset.live; });
}

/** A plain table of text cells, or "no data". */
export function table(headers, rows) {
  if (rows.length === 0) return element('p', { className: 'muted', textContent: t('common.empty') });
  return element('table', {}, [
    element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: h })))]),
    element('tbody', {}, rows.map((cells) => element('tr', {}, cells.map((c) => element('td', { textContent: c }))))),
  ]);
}

/**
 * Whether someone is at, or has changed, one of these form fields since the page drew it — a box
 * ticked, a colour chosen, a word typed. A live redraw then waits: it would put the drawn values back.
 */
export function editing(fields) {
  return [...fields].some((f) => f === document.activeElement
    || (f.type === 'checkbox' || f.type === 'radio' ? f.checked !== f.defaultChecked
      : f.tagName === 'SELECT' ? f.options.length > 0 && f.selectedIndex !== Math.max(0, [...f.options].findIndex((o) => o.defaultSelected))
      : f.value !== f.defaultValue));
}

/**
 * Live redraws of a part of a page fed by a stream; `request()` on each event. Events come in
 * bursts (a sweep raises many at once): one redraw at a time, and one more after it when any came
 * meanwhile. None while someone is filling in one of `fields()` (`editing`) — the redraw would put
 * back what they chose — but one once they have left it (`focusout`/`change` in `holder`).
 * `redraw(free)` should ask `free()` again after its fetch and give way when it answers false.
 */
export function liveRedraws(holder, fields, redraw) {
  let running = false, again = false, waiting = false;
  const free = () => {
    if (!editing(fields())) return true;
    waiting = true;
    return false;
  };
  const request = () => {
    if (!holder.isConnected || !free()) return;
    if (running) { again = true; return; }
    running = true;
    Promise.resolve().then(() => redraw(free)).catch(() => {}).finally(() => {
      running = false;
      if (again) { again = false; request(); }
    });
  };
  const settle = () => setTimeout(() => { if (waiting) { waiting = false; request(); } });
  for (const kind of ['focusout', 'change']) holder.addEventListener(kind, settle);
  return request;
}
