// A list page per configured resource, with the form to add or change an entry for administrators.
// Everyone else who may read the resource sees the same list without the buttons.
import { t } from './i18n.js';
import { element } from './dom.js';
import { control, onSubmit } from './forms.js';
import './text-admin.js';

/**
 * `spec`: { title, intro?, context(me) → lookups, load(ctx) → items, key(item), columns: [[label, (item, ctx) → text]],
 *   fields(ctx) → [field with on: 'create' | 'edit' | both, get(item, ctx)], create(body, ctx), update(item, body, ctx),
 *   remove(item), actions: [{ name, label, when(item), fields, run(item, body) }], before(page, me, ctx) → nodes }
 */
export function resourcePage(spec) {
  return async function render(page, me, notice = '') {
    const admin = me.roles.includes('admin');
    const ctx = spec.context ? await spec.context(me) : {};
    const items = await spec.load(ctx);
    const status = element('p', { id: 'admin-status', className: 'ok', role: 'status', textContent: notice });
    const editor = element('div', { id: 'editor' });
    const done = (message) => render(page, me, message);

    const openForm = (title, fields, initial, submit) => {
      const controls = fields.map((field) => control(field, initial(field)));
      const general = element('p', { className: 'error', role: 'alert', hidden: true });
      const cancel = element('button', { type: 'button', textContent: t('admin.cancel') });
      const form = element('form', { className: 'card editor-form', noValidate: true }, [
        element('h2', { textContent: title }), element('div', { className: 'editor-fields' }, controls.map((c) => c.node)), general,
        element('div', { className: 'buttons' }, [element('button', { type: 'submit', className: 'primary', textContent: t('admin.save') }), cancel]),
      ]);
      cancel.addEventListener('click', () => editor.replaceChildren());
      onSubmit(form, controls, general, async (body) => done(await submit(body)));
      editor.replaceChildren(form);
      controls[0]?.focus();
      form.scrollIntoView({ block: 'nearest' });
    };

    const fieldsFor = (mode) => spec.fields(ctx).filter((f) => !f.on || f.on === mode);
    const value = (item) => (field) => (item ? (field.get ? field.get(item, ctx) : item[field.key]) : field.initial);
    const edit = (item) => openForm(t('admin.editing', { name: spec.key(item) }), fieldsFor('edit'), value(item),
      async (body) => { await spec.update(item, body, ctx); return t('admin.saved', { name: spec.key(item) }); });
    const create = () => openForm(t('admin.creating'), fieldsFor('create'), value(null),
      async (body) => { await spec.create(body, ctx); return t('admin.created'); });

    const rowButtons = (item) => {
      if (!admin) return [];
      const buttons = [];
      if (spec.update) buttons.push(button(t('admin.edit'), () => edit(item), 'edit'));
      for (const action of spec.actions ?? []) {
        if (action.when && !action.when(item)) continue;
        buttons.push(button(t(action.label), () => (action.fields
          ? openForm(`${t(action.label)} · ${spec.key(item)}`, action.fields, () => undefined,
            async (body) => { await action.run(item, body); return t('admin.done', { name: spec.key(item) }); })
          : action.run(item).then(() => done(t('admin.done', { name: spec.key(item) })), (e) => { status.className = 'error'; status.textContent = e.message; })), action.name));
      }
      if (spec.remove) {
        const remove = button(t('admin.remove'), async () => {
          if (remove.dataset.armed !== 'yes') {
            remove.dataset.armed = 'yes';
            remove.textContent = t('admin.confirmRemove');
            return;
          }
          try { await spec.remove(item); await done(t('admin.removed', { name: spec.key(item) })); } catch (e) { status.className = 'error'; status.textContent = e.message; }
        }, 'remove');
        buttons.push(remove);
      }
      return buttons;
    };

    const headers = [...spec.columns.map(([label]) => t(label)), ...(admin ? [''] : [])];
    const listing = items.length === 0 ? element('p', { className: 'muted', textContent: t('common.empty') })
      : element('table', { className: 'admin-table' }, [
        element('thead', {}, [element('tr', {}, headers.map((h) => element('th', { scope: 'col', textContent: h })))]),
        element('tbody', {}, items.map((item) => element('tr', { dataset: { key: spec.key(item) } }, [
          ...spec.columns.map(([, cell]) => element('td', { textContent: cell(item, ctx) ?? '' })),
          ...(admin ? [element('td', { className: 'row-actions' }, rowButtons(item))] : []),
        ]))),
      ]);
    page.replaceChildren(
      element('div', { className: 'card-head' }, [element('h1', { textContent: t(spec.title) }),
        admin && spec.create ? button(t('admin.new'), create, 'new') : '']),
      spec.intro ? element('p', { className: 'muted', textContent: t(spec.intro) }) : '',
      ...(spec.before ? await spec.before(page, me, ctx, done) : []),
      status, editor, listing,
    );
  };
}

function button(text, onClick, name) {
  const node = element('button', { type: 'button', textContent: text, dataset: { act: name } });
  node.addEventListener('click', onClick);
  return node;
}

/** Options for a select from a list: value = id, label = name (code). */
export const optionsOf = (items, label = (x) => `${x.name}（${x.code}）`) => () => items.map((x) => ({ value: x.id, label: label(x) }));

/** The enum's values with their translated names. */
export const enumOptions = (values, prefix) => () => values.map((v) => ({ value: v, label: prefix ? t(`${prefix}.${v}`) : v }));
