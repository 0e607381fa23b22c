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
