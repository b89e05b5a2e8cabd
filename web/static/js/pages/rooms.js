// rooms.js - #/t/DOMAIN/rooms: the tenant's conference rooms with how
// many people are in each now and whether it is locked (refreshed every
// 3 s), a form for a new room, and Delete. A room's people, settings and
// recordings are on its own page (room.js).
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';
import {tlink, go} from '../app.js';

const EVERY_MS = 3000;

// A room's settings as form fields, filled from `r` (a new room: the
// server's defaults). PINs are shown: the admin reads them out to the
// people invited.
export function roomFields(r = {}) {
	return [
		{name: 'name', label: 'Name', value: r.name ?? '', placeholder: 'Weekly call'},
		{name: 'pin', label: 'PIN', value: r.pin ?? '', inputmode: 'numeric', placeholder: 'none',
			hint: 'Up to 12 digits; empty: anyone who dials the room is let in'},
		{name: 'mod_pin', label: 'Moderator PIN', value: r.mod_pin ?? '', inputmode: 'numeric', placeholder: 'none',
			hint: 'Makes the caller a moderator (may lock the room and remove people)'},
		{name: 'max_members', label: 'At most (people)', type: 'number', value: r.max_members ?? 50,
			min: 2, max: 500},
		{name: 'wait_moderator', label: 'Members wait in silence until a moderator is in', type: 'checkbox',
			value: !!r.wait_moderator, wide: true},
		{name: 'announce_count', label: 'Tell each caller how many people are in', type: 'checkbox',
			value: r.announce_count ?? true, wide: true},
		{name: 'record', label: 'Record the room while people are in it', type: 'checkbox',
			value: !!r.record, wide: true},
	];
}

// "3 in the room", tags for locked and recording: the live state of a
// room, shared with room.js.
export function liveState(n, locked, recording) {
	return h('span', {class: 'live', dataset: {members: n, locked: String(!!locked)}},
		n ? `${n} in the room` : 'nobody',
		locked ? [' ', h('span', {class: 'tag locked'}, 'locked')] : null,
		recording ? [' ', h('span', {class: 'tag rec'}, 'recording')] : null);
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'rooms');
	const list = h('div');
	const updated = h('p', {class: 'updated', role: 'status'});

	function show(rooms) {
		clear(list, table([
			{label: 'Room', value: (r) => h('a', {href: tlink('rooms', r.number)}, r.number)},
			{label: 'Name', value: (r) => r.name},
			{label: 'PIN', value: (r) => r.pin ? h('code', {}, r.pin) : h('span', {class: 'muted'}, 'none')},
			{label: 'Moderator PIN', value: (r) => r.mod_pin ? h('code', {}, r.mod_pin) : h('span', {class: 'muted'}, 'none')},
			{label: 'At most', cls: 'num', value: (r) => String(r.max_members)},
			{label: 'Now', value: (r) => liveState(r.members, r.locked, r.recording)},
			{label: '', cls: 'actions', value: (r) => [
				h('a', {class: 'btn secondary small', href: tlink('rooms', r.number)}, 'Open'), ' ',
				button('Delete', () => remove(r), 'danger small')]},
		], rooms.map((r) => ({...r, _data: {room: r.number}})),
		{name: 'rooms', empty: 'No conference rooms yet.'}));
		updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
	}

	async function refresh() {
		show((await api.get(base)).rooms);
	}

	async function remove(r) {
		const who = r.members ? ` The ${r.members} in it now stay until they leave.` : '';
		if (!await confirmBox(`Delete room ${r.number}${r.name ? ` (${r.name})` : ''}?${who}`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'rooms', r.number));
			flash(ctx.view, `Room ${r.number} deleted.`);
			await refresh();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	let first;
	try {
		first = (await api.get(base)).rooms;
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'conference rooms');
		throw err;
	}
	const add = form({
		name: 'room-add',
		cls: 'inline',
		fields: [{name: 'number', label: 'Number', inputmode: 'numeric', placeholder: '800',
			hint: 'What callers dial; not an extension’s number'}, ...roomFields()],
		submit: 'Add room',
		async onSubmit(v) {
			await api.post(base, v);
			go(tlink('rooms', v.number));
		},
	});
	show(first);
	put(ctx.view, h('h1', {}, 'Conference rooms'),
		h('p', {class: 'muted'}, 'Callers reach a room by dialling its number (or by a route to “conference NUMBER”). In the room: 1 mutes, 4/6 and 7/9 turn listening and talking down/up, # leaves; moderators also lock (2) and remove the last who came (3).'),
		section(null, list, updated), section('Add a room', add.el));
	ctx.every(EVERY_MS, refresh, updated);
}
