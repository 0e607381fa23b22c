// The citizen's plain-language categories (公众上报分类) as tiles with an icon each, instead of the
// catalogue's hundred matters with their codes: the citizen picks what kind of problem it is and
// says the rest in their own words; the learned model proposes the matter for the intake operator.
import { t } from './i18n.js';
import './text-intake.js';
import { element } from './dom.js';

/** 24 × 24 line drawings, one per category. */
const icons = {
  garbage: 'M5 7h14M9 7V4h6v3M7 7l1 13h8l1-13M10 11v6M14 11v6',
  roads: 'M8 3 4 21M16 3l4 18M12 4v3M12 10v4M12 17v3',
  manholes: 'M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16M6 9h12M6 15h12M9 5v14M15 5v14',
  flooding: 'M3 15c3-3 6 3 9 0s6 3 9 0M3 20c3-3 6 3 9 0s6 3 9 0M12 3l-3 5a3 3 0 0 0 6 0z',
  lights: 'M8 21h8M12 21V6M12 6h5M17 6v3M15 9h4',
  traffic: 'M9 2h6v16H9zM12 5v0M12 10v0M12 15v0M12 18v4',
  trading: 'M3 10h18l-2-6H5zM5 10v10h14V10M10 20v-5h4v5',
  parking: 'M4 4h16v16H4zM10 17V7h3a3 3 0 0 1 0 6h-3',
  ads: 'M5 3h14v12H5zM8 7h8M8 11h5M12 15v6',
  construction: 'M3 20h18M5 20a7 7 0 0 1 14 0M12 9v4M10 9h4',
  greenery: 'M12 21v-6M12 3a6 6 0 0 0-6 6c0 3 3 6 6 6s6-3 6-6a6 6 0 0 0-6-6',
  facilities: 'M4 10h16M6 10v8M18 10v8M4 14h16M8 6h8',
};

function icon(code) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', icons[code] ?? icons.facilities);
  svg.append(path);
  return svg;
}

/** Tiles for `categories` (GET /public/categories); `value()` is the chosen code or ''. */
export function categoryPicker(categories) {
  const tiles = categories.map((c) => {
    const radio = element('input', { type: 'radio', name: 'category', value: c.code, id: `category-${c.code}` });
    return element('label', { className: 'category-tile', htmlFor: radio.id, dataset: { category: c.code } }, [radio, icon(c.code), element('span', { textContent: t(`category.${c.code}`) })]);
  });
  const group = element('fieldset', { className: 'categories', id: 'categories' }, [element('legend', { textContent: t('category.title') }), ...tiles]);
  return {
    nodes: [group],
    value: () => group.querySelector('input[name=category]:checked')?.value ?? '',
  };
}

/** The name of a category, for the staff who read what a citizen chose. */
export function categoryName(code) {
  return t(`category.${code}`);
}
