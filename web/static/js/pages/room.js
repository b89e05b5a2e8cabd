// room.js - #/t/DOMAIN/rooms/NUMBER: one conference room. Who is in it
// now (caller, name, moderator, muted, speaking), refreshed every 2 s,
// with Mute/Unmute and Remove for each and Lock/Unlock for the room; its
// settings; the recordings of its mix, each with a player; deleting it.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, fmtTime, fmtDuration, safe, put} from '../ui.js';
import {tlink, go} from '../app.js';
import {roomFields, liveState} from './rooms.js';

const EVERY_MS = 2000;

export async function render(ctx) {
	const number = ctx.params.room;
	const path = api.tpath(ctx.tenant, 'rooms', number);
	const recPath = api.tpath(ctx.tenant, 'room-recordings');
	const state = h('div', {class: 'toolbar'});
	const people = h('div');
	const recs = h('div');
	const updated = h('p', {class: 'updated', role: 'status'});
	const removing = new Set(); // member ids asked to leave, until gone
	let recIds = null;          // the recordings shown, to redraw on change

	async function act(fn, done) {
		await fn();
		if (done)
			flash(ctx.view, done);
		await refresh();
	}

	function mute(m) {
		const verb = m.muted ? 'unmute' : 'mute';
		return act(() => api.post(`${path}/members/${api.seg(m.id)}/${verb}`),
			`${m.caller} ${m.muted ? 'may talk again' : 'is muted'}.`);
	}

	async function kick(m) {
		if (!await confirmBox(`Remove ${m.caller}${m.name ? ` (${m.name})` : ''} from the room? The call ends.`, 'Remove'))
			return;
		removing.add(m.id);
		try {
			await act(() => api.del(`${path}/members/${api.seg(m.id)}`), `${m.caller} was removed.`);
		} catch (err) {
			removing.delete(m.id);
			throw err;
		}
	}

	function showPeople(live) {
		const here = new Set(live.members.map((m) => m.id));
		for (const id of removing)
			if (!here.has(id))
				removing.delete(id);
		const lock = button(live.locked ? 'Unlock room' : 'Lock room',
			safe(ctx.view, () => act(() => api.post(`${path}/${live.locked ? 'unlock' : 'lock'}`),
				live.locked ? 'The room is open to everyone with the PIN again.'
					: 'The room is locked: only moderators get in.')),
			'secondary small');
		lock.disabled = !live.open;
		lock.title = live.open ? '' : 'A room is locked only while people are in it';
		clear(state, liveState(live.members.length, live.locked, live.recording),
			live.open ? h('span', {class: 'muted'}, `open since ${fmtTime(live.opened)}`) : null, lock);
		clear(people, table([
			{label: 'Caller', value: (m) => m.caller},
			{label: 'Name', value: (m) => m.name},
			{label: 'Role', value: (m) => m.moderator ? h('span', {class: 'tag mod'}, 'moderator') : 'member'},
			{label: 'Muted', value: (m) => m.muted ? h('span', {class: 'tag muted'}, 'muted')
				: m.waiting ? h('span', {class: 'tag'}, 'waiting for a moderator') : 'no'},
			{label: 'Speaking', value: (m) => m.speaking ? h('span', {class: 'tag up speaking'}, 'speaking') : ''},
			{label: 'Since', value: (m) => fmtTime(m.joined).slice(11)},
			{label: '', cls: 'actions', value: (m) => {
				const gone = removing.has(m.id);
				const b1 = button(m.muted ? 'Unmute' : 'Mute', safe(ctx.view, () => mute(m)), 'secondary small');
				const b2 = button(gone ? 'Removing…' : 'Remove', safe(ctx.view, () => kick(m)), 'danger small');
				b1.disabled = b2.disabled = gone;
				return [b1, b2];
			}},
		], live.members.map((m) => ({...m, _data: {member: m.id, caller: m.caller,
			muted: String(m.muted), speaking: String(m.speaking)}})),
		{name: 'members', empty: `People who call ${number} are listed here.`}));
	}

	async function delRec(x) {
		if (!await confirmBox(`Delete the recording of ${fmtTime(x.started)}?`))
			return;
		await api.del(`${recPath}/${api.seg(x.id)}`);
		flash(ctx.view, 'Recording deleted.');
		await loadRecs();
	}

	async function loadRecs() {
		const list = (await api.get(recPath, {room: number})).recordings;
		const ids = list.map((x) => x.id).join(',');
		if (ids === recIds)
			return; // redrawing would stop a player that is playing
		recIds = ids;
		clear(recs, table([
			{label: 'Started', value: (x) => fmtTime(x.started)},
			{label: 'Length', cls: 'num', value: (x) => fmtDuration(x.duration_s)},
			{label: 'Listen', value: (x) => x.missing
				? h('span', {class: 'flash error'}, 'The file is missing from the spool.')
				: h('audio', {controls: true, preload: 'metadata',
					src: `${recPath}/${api.seg(x.id)}/audio`})},
			{label: '', cls: 'actions', value: (x) => button('Delete', safe(ctx.view, () => delRec(x)), 'danger small')},
		], list.map((x) => ({...x, _data: {recording: x.id}})),
		{name: 'recordings', empty: 'No recordings of this room.'}));
	}

	// The recording of a room is listed once its last member has left,
	// so the list is asked again with the people.
	async function refresh() {
		const [live] = await Promise.all([api.get(`${path}/members`), loadRecs()]);
		showPeople(live);
		updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
	}

	const room = await api.get(path);
	const settings = form({
		name: 'room-edit',
		cls: 'inline',
		fields: roomFields(room),
		submit: 'Save settings',
		async onSubmit(v) {
			const r = await api.patch(path, v);
			title.textContent = `Room ${number}${r.name ? ` — ${r.name}` : ''}`;
			flash(ctx.view, 'Room settings saved: they apply to callers who enter from now.');
		},
	});
	const remove = button('Delete room', safe(ctx.view, async () => {
		if (!await confirmBox(`Delete room ${number}? People in it now stay until they leave; its recordings stay listed.`))
			return;
		await api.del(path);
		go(tlink('rooms'));
	}), 'danger');
	const title = h('h1', {}, `Room ${number}${room.name ? ` — ${room.name}` : ''}`);

	put(ctx.view, h('p', {}, h('a', {href: tlink('rooms')}, '← All rooms')), title,
		section('In the room now', state, people, updated),
		section('Recordings', recs),
		section('Settings', h('p', {class: 'muted'}, `Callers dial ${number}.`), settings.el),
		section(null, remove));
	await refresh();
	ctx.every(EVERY_MS, refresh, updated);
}
