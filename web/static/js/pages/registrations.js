// registrations.js - #/t/DOMAIN/registrations: every registered phone of
// the tenant, refreshed every two seconds without reloading the page.
import * as api from '../api.js';
import {h, table, section, clear, fmtCount, put} from '../ui.js';
import {tlink} from '../app.js';

const EVERY_MS = 2000;

export async function render(ctx) {
	const list = h('div');
	const count = h('span', {class: 'muted'});
	const updated = h('p', {class: 'updated', role: 'status'});
	const filter = h('input', {type: 'search', class: 'grow', value: ctx.query.q || '',
		placeholder: 'Filter by extension, phone or address', 'aria-label': 'Filter registrations'});
	let rows = [];

	function show() {
		const q = filter.value.trim().toLowerCase();
		const now = Date.now() / 1000;
		const shown = q ? rows.filter((x) => [x.extension, x.user_agent, x.contact, x.route]
			.some((s) => (s || '').toLowerCase().includes(q))) : rows;
		count.textContent = `${fmtCount(shown.length)} of ${fmtCount(rows.length)} phones`;
		clear(list, table([
			{label: 'Extension', value: (x) => h('a', {href: tlink('extensions', x.extension)}, x.extension)},
			{label: 'Phone', value: (x) => x.user_agent || '—'},
			{label: 'Contact', value: (x) => h('code', {}, x.contact)},
			{label: 'Reached at', value: (x) => h('code', {}, x.route)},
			{label: 'Expires in', cls: 'num', value: (x) => `${Math.max(0, Math.round(x.expires - now))} s`},
		], shown.map((x) => ({...x, _data: {ext: x.extension}})),
		{name: 'registrations', empty: rows.length ? 'No phone matches the filter.' : 'No phone is registered.'}));
	}

	async function refresh() {
		rows = (await api.get(api.tpath(ctx.tenant, 'registrations'))).registrations;
		rows.sort((a, b) => a.extension.localeCompare(b.extension, 'en', {numeric: true}));
		show();
		updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
	}

	filter.addEventListener('input', () => {
		ctx.setQuery({q: filter.value.trim()});
		show();
	});
	put(ctx.view, h('h1', {}, 'Registrations'),
		section(null, h('div', {class: 'toolbar'}, filter, count), list, updated));
	await refresh();
	ctx.every(EVERY_MS, refresh, updated);
}
