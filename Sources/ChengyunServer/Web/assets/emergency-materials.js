// Materials on the command board (物资调拨): what the incident holds from each depot, issued and
// given back, and the dispatcher's forms to issue more from a depot or give some back.
import { api } from './api.js';
import { t } from './i18n.js';
import { element } from './dom.js';
import { actionForm, dispatchers, field, has, select } from './emergency-forms.js';
import { problemText } from './report-form.js';
import './text-emergency.js';

export async function materialsSection(board, me, status, redraw) {
  const incident = board.incident;
  const base = `/emergency/incidents/${incident.id}/materials`;
  const dispatcher = has(me, dispatchers);
  const lines = board.materials.map((m) => {
    const held = m.issued - m.givenBack;
    const item = element('li', { dataset: { depot: m.depotCode, material: m.material } },
      [t('em.materialLine', { depot: m.depotCode, material: m.material, issued: m.issued, back: m.givenBack, unit: m.unit })]);
    if (dispatcher && held > 0 && incident.status !== 'reported') {
      const button = element('button', { type: 'button', textContent: t('em.giveBack'), dataset: { giveBack: m.material } });
      button.addEventListener('click', () => {
        const quantity = Number(prompt(t('em.giveBackHow', { held, unit: m.unit }), String(held)));
        if (!quantity) return;
        api(base, { method: 'POST', body: { depotId: m.depotId, material: m.material, quantity, giveBack: true } })
          .then(() => redraw(), (e) => { status.textContent = problemText(e); });
      });
      item.append(' ', button);
    }
    return item;
  });
  const nodes = [element('h3', { textContent: t('em.materials') }),
    lines.length === 0 ? element('p', { className: 'muted', textContent: t('em.noMaterials') }) : element('ul', { id: 'em-materials' }, lines)];
  if (dispatcher && incident.status === 'active') {
    const depots = (await api('/emergency/resources?kind=depot')).items;
    const depot = select(depots.map((d) => [d.id, `${d.code} ${d.name}`]));
    const material = element('input', { required: true, placeholder: 'sandbag' });
    const quantity = element('input', { type: 'number', min: '1', step: 'any', required: true });
    nodes.push(actionForm('issue', [...field('em-depot', t('em.depot'), depot), ...field('em-material', t('em.material'), material),
      ...field('em-quantity', t('em.quantity'), quantity)], t('em.issue'),
    () => api(base, { method: 'POST', body: { depotId: depot.value, material: material.value.trim(), quantity: Number(quantity.value) } }),
    (line) => { redraw(); return t('em.issued', { material: line.material, left: line.quantity, unit: line.unit }); }, status));
  }
  return nodes;
}
