// Small DOM helpers shared by the pages.
import { t } from './i18n.js';

/** An element with properties (`dataset` merged, not assigned) and children. */
export function element(tag, props = {}, children = []) {
  const { dataset, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
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
