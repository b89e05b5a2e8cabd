// ringgroup.js - #/t/DOMAIN/ringgroups/NUMBER: one ring group. Its
// members in ring order, each with its own ring time (empty: the
// group's), moved up and down, added and removed; every change is saved
// at once (the whole list, as the API takes it). Its settings; deleting
// it.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, safe, put} from '../ui.js';
import {tlink, go} from '../app.js';
import {groupFields, strategyText, fallbackText} from './ringgroups.js';

export async function render(ctx) {
	const number = ctx.params.group;
	const path = api.tpath(ctx.tenant, 'ringgroups', number);
	const [first, exts] = await Promise.all([api.get(path),
		api.get(api.tpath(ctx.tenant, 'extensions'), {limit: 500}).catch(() => ({extensions: []}))]);
	let group = first;
	const title = h('h1');
	const summary = h('p', {class: 'muted'});
	const members = h('div');
	const membersError = h('p', {class: 'form-error', role: 'alert', hidden: true,
		dataset: {errorFor: 'members'}});

	function header() {
		title.textContent = `Ring group ${number}${group.name ? ` — ${group.name}` : ''}`;
		summary.textContent = `Callers dial ${number}. The members ring ${strategyText(group.strategy)}, ` +
			`${group.ring_time} s each unless set below; after ${group.timeout} s the call goes to: ${fallbackText(group)}.`;
	}

	// Sends the whole list; the table shows what the server kept.
	async function save(list, done) {
		membersError.hidden = true;
		try {
			group = await api.patch(path, {members: list.map((m) => ({extension: m.extension,
				ring_time: m.ring_time || 0}))});
			showMembers();
			fillPicker();
			if (done)
				flash(ctx.view, done);
		} catch (err) {
			membersError.textContent = err.message;
			membersError.hidden = false;
			if (err.status === 401)
				throw err;
		}
	}

	function move(i, by) {
		const list = [...group.members];
		[list[i], list[i + by]] = [list[i + by], list[i]];
		return save(list, `${list[i + by].extension} moved ${by < 0 ? 'up' : 'down'}.`);
	}

	function showMembers() {
		const n = group.members.length;
		clear(members, table([
			{label: '#', cls: 'num', value: (m) => String(m.pos + 1)},
			{label: 'Extension', value: (m) => m.extension},
			{label: 'Name', value: (m) => m.name},
			{label: 'Rings (s)', value: (m) => {
				const i = h('input', {type: 'number', name: 'ring_time', min: 5, max: 300,
					value: m.ring_time || '', placeholder: String(group.ring_time), title: 'Empty: the group’s time',
					'aria-label': `Ring time of ${m.extension}`});
				i.addEventListener('change', safe(ctx.view, () => {
					const list = group.members.map((x) => x.extension === m.extension
						? {...x, ring_time: i.value.trim() === '' ? 0 : Number(i.value)} : x);
					return save(list, `${m.extension} rings ${i.value.trim() === '' ? 'the group’s time' : `${i.value} s`}.`);
				}));
				return i;
			}},
			{label: '', cls: 'actions', value: (m) => {
				const up = button('Up', safe(ctx.view, () => move(m.pos, -1)), 'secondary small');
				const down = button('Down', safe(ctx.view, () => move(m.pos, 1)), 'secondary small');
				up.disabled = m.pos === 0;
				down.disabled = m.pos === n - 1;
				up.setAttribute('aria-label', `Move ${m.extension} up`);
				down.setAttribute('aria-label', `Move ${m.extension} down`);
				const rm = button('Remove', safe(ctx.view, () => save(
					group.members.filter((x) => x.extension !== m.extension),
					`${m.extension} is no longer a member.`)), 'danger small');
				rm.setAttribute('aria-label', `Remove ${m.extension}`);
				return [up, down, rm];
			}},
		], group.members.map((m, pos) => ({...m, pos, _data: {member: m.extension, pos}})),
		{name: 'members', empty: 'No members yet: calls go straight to the fallback.'}));
		header();
	}

	// The extensions that are not members yet.
	const picker = h('select', {name: 'extension', id: 'rg-pick', 'aria-label': 'Extension to add'});
	function fillPicker() {
		const taken = new Set(group.members.map((m) => m.extension));
		clear(picker, exts.extensions.filter((e) => !taken.has(e.number)).map((e) =>
			h('option', {value: e.number}, e.name ? `${e.number} (${e.name})` : e.number)));
		addBtn.disabled = !picker.options.length;
	}
	const ring = h('input', {type: 'number', name: 'ring_time', min: 5, max: 300, id: 'rg-ring',
		placeholder: 'group’s'});
	const addBtn = h('button', {type: 'submit'}, 'Add member');
	const addForm = h('form', {class: 'form inline', dataset: {form: 'rg-member-add'}, novalidate: true},
		h('div', {class: 'field'}, h('label', {for: 'rg-pick'}, 'Extension'), picker),
		h('div', {class: 'field'}, h('label', {for: 'rg-ring'}, 'Rings (s), empty: the group’s'), ring),
		h('div', {class: 'field actions'}, addBtn));
	addForm.addEventListener('submit', safe(ctx.view, async (ev) => {
		ev.preventDefault();
		if (!picker.value)
			return;
		const ext = picker.value;
		await save([...group.members, {extension: ext, ring_time: ring.value.trim() === '' ? 0 : Number(ring.value)}],
			`${ext} is member ${group.members.length + 1}.`);
		ring.value = '';
	}));

	const settings = form({
		name: 'rg-edit',
		cls: 'inline',
		fields: groupFields(group),
		submit: 'Save settings',
		async onSubmit(v) {
			group = await api.patch(path, v);
			showMembers();
			flash(ctx.view, 'Group settings saved: they apply to the next call.');
		},
	});
	const remove = button('Delete group', safe(ctx.view, async () => {
		if (!await confirmBox(`Delete ring group ${number}? Calls to its number will no longer ring anyone.`))
			return;
		await api.del(path);
		go(tlink('ringgroups'));
	}), 'danger');

	showMembers();
	fillPicker();
	put(ctx.view, h('p', {}, h('a', {href: tlink('ringgroups')}, '← All ring groups')), title, summary,
		section('Members, in ring order', members, membersError, addForm),
		section('Settings', settings.el),
		section(null, remove));
}
