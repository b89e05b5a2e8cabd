// ringgroups.js - #/t/DOMAIN/ringgroups: the tenant's ring groups (how
// they ring, who is in them, where calls go when nobody answers), a form
// for a new group, and Delete. A group's members are edited on its own
// page (ringgroup.js).
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';
import {tlink, go} from '../app.js';

// Where a call goes when nobody answers: [kind, label, what the argument is].
export const FALLBACKS = [
	['', 'nowhere (busy / no answer)', ''],
	['voicemail', 'a mailbox', 'extension whose mailbox takes the message'],
	['extension', 'an extension', 'extension number'],
	['number', 'a number through the dialplan', 'number'],
	['ivr', 'an IVR menu', 'menu name'],
	['conference', 'a conference room', 'room number'],
	['ringgroup', 'another ring group', 'group number'],
];

export const STRATEGIES = [['simultaneous', 'all at once'], ['sequential', 'one after the other']];

// A group's settings as form fields, filled from `g` (a new group: the
// server's defaults).
export function groupFields(g = {}) {
	return [
		{name: 'name', label: 'Name', value: g.name ?? '', placeholder: 'Sales'},
		{name: 'strategy', label: 'Ring the members', type: 'select', value: g.strategy ?? 'simultaneous',
			options: STRATEGIES},
		{name: 'ring_time', label: 'Each member rings (s)', type: 'number', value: g.ring_time ?? 20,
			min: 5, max: 300, hint: 'Unless the member has a time of its own; one after the other: then the next rings'},
		{name: 'timeout', label: 'Fallback after (s)', type: 'number', value: g.timeout ?? 60,
			min: 5, max: 600, hint: 'From the first ring, whoever is ringing then'},
		{name: 'fallback_type', label: 'When nobody answers, go to', type: 'select',
			value: g.fallback_type ?? '', options: FALLBACKS.map(([v, label]) => [v, label])},
		{name: 'fallback', label: 'Fallback', value: g.fallback ?? '', placeholder: 'e.g. 1001',
			hint: 'The mailbox’s extension, the number, menu, room or group'},
	];
}

// "voicemail 1001", or "busy / no answer".
export function fallbackText(g) {
	return g.fallback_type ? `${g.fallback_type} ${g.fallback}` : 'busy / no answer';
}

export function strategyText(s) {
	return (STRATEGIES.find(([v]) => v === s) || [s, s])[1];
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'ringgroups');
	const list = h('div');

	function show(groups) {
		clear(list, table([
			{label: 'Group', value: (g) => h('a', {href: tlink('ringgroups', g.number)}, g.number)},
			{label: 'Name', value: (g) => g.name},
			{label: 'Rings', value: (g) => strategyText(g.strategy)},
			{label: 'Members', value: (g) => g.members.length
				? g.members.map((m) => m.extension).join(', ')
				: h('span', {class: 'muted'}, 'none')},
			{label: 'Fallback after', cls: 'num', value: (g) => `${g.timeout} s`},
			{label: 'Then', value: (g) => fallbackText(g)},
			{label: '', cls: 'actions', value: (g) => [
				h('a', {class: 'btn secondary small', href: tlink('ringgroups', g.number)}, 'Members'), ' ',
				button('Delete', () => remove(g), 'danger small')]},
		], groups.map((g) => ({...g, _data: {group: g.number, members: g.members.length}})),
		{name: 'ringgroups', empty: 'No ring groups yet.'}));
	}

	async function remove(g) {
		if (!await confirmBox(`Delete ring group ${g.number}${g.name ? ` (${g.name})` : ''}? Calls to its number will no longer ring anyone.`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'ringgroups', g.number));
			flash(ctx.view, `Ring group ${g.number} deleted.`);
			show((await api.get(base)).ringgroups);
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	let first;
	try {
		first = (await api.get(base)).ringgroups;
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'ring groups');
		throw err;
	}
	const add = form({
		name: 'rg-add',
		cls: 'inline',
		fields: [{name: 'number', label: 'Number', inputmode: 'numeric', placeholder: '600',
			hint: 'What callers dial; not an extension’s or a room’s number'}, ...groupFields()],
		submit: 'Add group',
		async onSubmit(v) {
			await api.post(base, v);
			go(tlink('ringgroups', v.number));
		},
	});
	show(first);
	put(ctx.view, h('h1', {}, 'Ring groups'),
		h('p', {class: 'muted'}, 'Dialling a group’s number rings its members, all at once or one after the other; the first to answer takes the call. A DID, an IVR key or a time condition can send calls to a group too.'),
		section(null, list), section('Add a group', add.el));
}
