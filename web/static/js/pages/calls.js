// calls.js - #/t/DOMAIN/calls: the tenant's calls in progress, refreshed
// every two seconds; an admin can hang one up. Below them, the calls
// waiting in the tenant's park slots (docs/park.md).
import * as api from '../api.js';
import {h, table, section, clear, button, confirmBox, flash, fmtDuration, safe, put} from '../ui.js';

const EVERY_MS = 2000;

export async function render(ctx) {
	const list = h('div');
	const parked = h('div');
	const updated = h('p', {class: 'updated', role: 'status'});
	const hanging = new Set(); // call ids asked to end, until they are gone

	async function hangup(c) {
		if (!await confirmBox(`Hang up the call from ${c.caller} to ${c.callee}?`, 'Hang up'))
			return;
		hanging.add(c.call_id);
		try {
			await api.del(api.tpath(ctx.tenant, 'calls', c.call_id));
			flash(ctx.view, `Hung up the call from ${c.caller} to ${c.callee}.`);
		} catch (err) {
			hanging.delete(c.call_id);
			flash(ctx.view, api.missingEndpoint(err)
				? 'This server cannot hang up calls yet.'
				: `Could not hang up: ${err.message}`, 'error');
		}
		await refresh();
	}

	// The parked calls: who waits in which slot, who parked it.
	async function refreshParked() {
		let rows;
		try {
			rows = (await api.get(api.tpath(ctx.tenant, 'parked'))).parked;
		} catch (err) {
			if (api.missingEndpoint(err)) {
				clear(parked, h('p', {class: 'empty'}, 'This server has no call park.'));
				return;
			}
			throw err;
		}
		clear(parked, table([
			{label: 'Slot', value: (p) => h('strong', {}, p.slot)},
			{label: 'Caller', value: (p) => p.caller_name ? `${p.caller_name} (${p.caller})` : p.caller},
			{label: 'Parked by', value: (p) => p.parker || '-'},
			{label: 'Waiting', cls: 'num', value: (p) => fmtDuration(p.seconds)},
		], rows.map((p) => ({...p, _data: {slot: p.slot}})),
		{name: 'parked', empty: 'No calls parked. Transfer a call to the park number to park it; dial its slot to take it.'}));
	}

	async function refresh() {
		const calls = (await api.get(api.tpath(ctx.tenant, 'calls'))).calls;
		const live = new Set(calls.map((c) => c.call_id));
		for (const id of hanging)
			if (!live.has(id))
				hanging.delete(id);
		clear(list, table([
			{label: 'From', value: (c) => c.caller},
			{label: 'To', value: (c) => c.callee},
			{label: 'State', value: (c) => h('span', {class: `tag ${c.state === 'answered' ? 'up' : ''}`}, c.state)},
			{label: 'Time', cls: 'num', value: (c) => fmtDuration(c.seconds)},
			{label: 'Call-ID', value: (c) => h('code', {}, c.call_id)},
			{label: '', cls: 'actions', value: (c) => {
				const b = button(hanging.has(c.call_id) ? 'Hanging up…' : 'Hang up',
					safe(ctx.view, () => hangup(c)), 'danger small');
				b.disabled = hanging.has(c.call_id);
				return b;
			}},
		], calls.map((c) => ({...c, _data: {callId: c.call_id}})),
		{name: 'calls', empty: 'No calls right now.'}));
		await refreshParked();
		updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
	}

	put(ctx.view, h('h1', {}, 'Live calls'), section(null, list, updated),
		section('Parked calls', parked));
	await refresh();
	ctx.every(EVERY_MS, refresh, updated);
}
