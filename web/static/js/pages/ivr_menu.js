// ivr_menu.js - #/t/DOMAIN/ivr/NAME: one menu's settings and its digit
// table, the key -> {action, argument} rows callers choose from.
import * as api from '../api.js';
import {h, form, section, button, confirmBox, flash, clear, put} from '../ui.js';
import {tlink, go} from '../app.js';
import {menuFields} from './ivr.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
// action -> what its argument is ('' for none)
const ACTIONS = {
	extension: 'extension number',
	voicemail: 'mailbox (extension)',
	number: 'number to dial',
	menu: 'menu name',
	conference: 'room number',
	ringgroup: 'ring group number',
	playback: 'prompt id',
	repeat: '',
	hangup: '',
};

export async function render(ctx) {
	const name = ctx.params.name;
	const path = api.tpath(ctx.tenant, 'ivr', name);
	const [menu, all] = await Promise.all([api.get(path),
		api.get(api.tpath(ctx.tenant, 'ivr')).catch(() => ({menus: []}))]);
	const saved = new Map((menu.options || []).map((o) => [o.digit, o]));

	const settings = form({
		name: 'ivr-edit',
		cls: 'inline',
		fields: menuFields(menu),
		submit: 'Save settings',
		async onSubmit(v) {
			await api.patch(path, v);
			flash(ctx.view, 'Menu settings saved.');
		},
	});

	// ---- the digit table ----
	const menusList = h('datalist', {id: 'ivr-menus'},
		all.menus.map((m) => h('option', {value: m.name})));
	const rows = new Map();
	const tbody = h('tbody');
	for (const d of DIGITS) {
		const o = saved.get(d) || {action: '', arg: ''};
		const action = h('select', {name: 'action', 'aria-label': `Action of key ${d}`},
			h('option', {value: ''}, '— nothing —'),
			Object.keys(ACTIONS).map((a) => h('option', {value: a}, a)));
		action.value = o.action;
		const arg = h('input', {name: 'arg', value: o.arg || '', 'aria-label': `Argument of key ${d}`});
		const err = h('p', {class: 'field-error', hidden: true, dataset: {errorFor: `option-${d}`}});
		const tr = h('tr', {dataset: {digit: d}},
			h('td', {class: 'digit', dataset: {label: 'Key'}}, d),
			h('td', {dataset: {label: 'Action'}}, action),
			h('td', {dataset: {label: 'Argument'}}, arg, err));
		const row = {d, action, arg, err, tr};
		const update = () => {
			const need = ACTIONS[action.value];
			arg.disabled = !need;
			arg.placeholder = need || '';
			arg.setAttribute('list', action.value === 'menu' ? 'ivr-menus' : '');
			tr.classList.toggle('changed', changed(row));
		};
		action.addEventListener('change', update);
		arg.addEventListener('input', update);
		row.update = update;
		update();
		rows.set(d, row);
		tbody.append(tr);
	}

	function want(row) {
		return {action: row.action.value, arg: ACTIONS[row.action.value] ? row.arg.value.trim() : ''};
	}
	function changed(row) {
		const o = saved.get(row.d) || {action: '', arg: ''};
		const w = want(row);
		return w.action !== o.action || (w.action && w.arg !== (o.arg || ''));
	}

	const status = h('p', {class: 'form-error', role: 'alert', hidden: true});
	const save = button('Save keys', async () => {
		save.disabled = true;
		status.hidden = true;
		let failed = 0;
		for (const row of rows.values()) {
			row.err.hidden = true;
			row.action.removeAttribute('aria-invalid');
			row.arg.removeAttribute('aria-invalid');
			if (!changed(row))
				continue;
			const w = want(row);
			const p = `${path}/options/${api.seg(row.d)}`;
			try {
				if (w.action) {
					await api.put(p, w);
					saved.set(row.d, {digit: row.d, ...w});
				} else {
					await api.del(p);
					saved.delete(row.d);
				}
			} catch (err) {
				failed++;
				row.err.textContent = err.message;
				row.err.hidden = false;
				(err.field === 'action' ? row.action : row.arg).setAttribute('aria-invalid', 'true');
			}
			row.update();
		}
		save.disabled = false;
		if (failed) {
			status.textContent = `${failed} key${failed > 1 ? 's were' : ' was'} not saved: see the table.`;
			status.hidden = false;
		} else {
			flash(ctx.view, 'Keys saved.');
		}
	});

	const remove = button('Delete menu', async () => {
		if (!await confirmBox(`Delete menu ${name}? Routes that use it stop working.`))
			return;
		try {
			await api.del(path);
			go(tlink('ivr'));
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}, 'danger');

	put(ctx.view, h('p', {}, h('a', {href: tlink('ivr')}, '← All menus')),
		h('h1', {}, `IVR menu ${name}`),
		section('Keys', h('p', {class: 'muted'}, 'What each key the caller presses does. Changed rows are highlighted until saved.'),
			menusList,
			h('div', {class: 'table-wrap'}, h('table', {class: 'data digits', dataset: {table: 'digits'}},
				h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Action'), h('th', {}, 'Argument'))),
				tbody)),
			h('div', {class: 'pager'}, save), status),
		section('Settings', settings.el),
		section(null, remove));
}
