// dashboard.js - #/t/DOMAIN/dashboard: what is happening in the tenant,
// refreshed every few seconds: registered phones, live calls, conference
// rooms in use, new voicemail, and the number of extensions.
import * as api from '../api.js';
import {h, table, section, clear, fmtCount, fmtDuration, put} from '../ui.js';
import {tlink} from '../app.js';

const EVERY_MS = 3000;

export async function render(ctx) {
	const t = (...p) => api.tpath(ctx.tenant, ...p);
	const stats = h('div', {class: 'stats'});
	const calls = h('div'), regs = h('div'), vm = h('div');
	const vmCard = section('New voicemail', vm);
	const updated = h('p', {class: 'updated', role: 'status'});
	let vmMissing = false, roomsMissing = false;

	const stat = (n, label, href, key) =>
		h('a', {class: 'stat', href, dataset: {stat: key}}, h('span', {class: 'n'}, fmtCount(n)),
			h('span', {class: 'l'}, label));

	async function voicemail() {
		if (vmMissing)
			return null;
		try {
			return (await api.get(t('voicemail'))).boxes;
		} catch (err) {
			if (!api.missingEndpoint(err))
				throw err;
			vmMissing = true; // this server has no tenant mailbox summary
			vmCard.hidden = true;
			return null;
		}
	}

	// The rooms people are in now (null: a server without rooms).
	async function rooms() {
		if (roomsMissing)
			return null;
		try {
			return (await api.get(t('rooms'))).rooms.filter((x) => x.members > 0);
		} catch (err) {
			if (!api.missingEndpoint(err))
				throw err;
			roomsMissing = true;
			return null;
		}
	}

	async function refresh() {
		const [r, c, e, boxes, inUse] = await Promise.all([
			api.get(t('registrations')), api.get(t('calls')),
			api.get(t('extensions'), {limit: 1}), voicemail(), rooms()]);
		const phones = new Set(r.registrations.map((x) => x.extension));
		const newMsgs = boxes ? boxes.reduce((n, b) => n + b.new, 0) : null;
		clear(stats, 
			stat(phones.size, 'extensions registered', tlink('registrations'), 'registered'),
			stat(c.calls.length, 'live calls', tlink('calls'), 'calls'),
			inUse === null ? null : stat(inUse.length, 'conference rooms in use', tlink('rooms'), 'rooms'),
			newMsgs === null ? null : stat(newMsgs, 'new voicemail messages', '#vm', 'voicemail'),
			stat(e.total, 'extensions', tlink('extensions'), 'extensions'));
		clear(calls, table([
			{label: 'From', value: (x) => x.caller},
			{label: 'To', value: (x) => x.callee},
			{label: 'State', value: (x) => h('span', {class: 'tag'}, x.state)},
			{label: 'Time', cls: 'num', value: (x) => fmtDuration(x.seconds)},
		], c.calls, {name: 'dash-calls', empty: 'No calls right now.'}));
		clear(regs, table([
			{label: 'Extension', value: (x) => h('a', {href: tlink('extensions', x.extension)}, x.extension)},
			{label: 'Phone', value: (x) => x.user_agent || '—'},
			{label: 'Contact', value: (x) => h('code', {}, x.contact)},
		], r.registrations.slice(0, 10), {name: 'dash-regs', empty: 'No phone is registered.'}),
		r.registrations.length > 10
			? h('p', {}, h('a', {href: tlink('registrations')}, `All ${r.registrations.length} registrations →`))
			: null);
		if (boxes)
			clear(vm, table([
				{label: 'Extension', value: (b) => h('a', {href: tlink('extensions', b.extension)}, b.extension)},
				{label: 'Name', value: (b) => b.name || ''},
				{label: 'New', cls: 'num', value: (b) => String(b.new)},
				{label: 'Saved', cls: 'num', value: (b) => String(b.saved)},
			], boxes.filter((b) => b.new > 0), {name: 'dash-vm', empty: 'No new messages.'}));
		updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
	}

	vmCard.id = 'vm';
	put(ctx.view, h('h1', {}, `Dashboard — ${ctx.tenant}`), stats,
		h('div', {class: 'row'}, section('Live calls', calls), section('Registered phones', regs)),
		vmCard, updated);
	await refresh();
	ctx.every(EVERY_MS, refresh, updated);
}
