// In wartime (战时) the cockpit leads with the command: the areas in wartime and the real incidents
// being responded to, each with its level and leading centre, opening the command board.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { numeral } from './emergency-forms.js';
import './text-emergency.js';

/** The wartime panel, or null in peacetime. */
export async function wartimePanel() {
  const [modes, incidents] = await Promise.all([api('/emergency/modes'), api('/emergency/incidents?status=active&drill=false')]);
  const wartime = modes.items.filter((m) => m.mode === 'wartime');
  if (wartime.length === 0) return null;
  return element('section', { className: 'card wartime', id: 'cockpit-wartime' }, [
    element('h2', { textContent: t('em.wartimeHeading', { areas: wartime.map((m) => m.areaName).join('、') }) }),
    incidents.items.length === 0 ? element('p', { className: 'muted', textContent: t('em.none') })
      : element('ul', {}, incidents.items.map((i) => element('li', { dataset: { number: i.number } }, [
        element('a', { href: '#/emergency', textContent: `${i.number} ${i.title}` }),
        ` · ${i.level ? t('em.levelName', { level: numeral[i.level] }) : '—'} · ${t('em.command')}：${i.commandAreaName ?? '—'}`,
      ]))),
  ]);
}
