// audit.js - #/audit: every change made through the panel or the API and
// every log-in, newest first, a page at a time. An admin sees its own
// tenant's; a superadmin all, or one tenant's.
import * as api from '../api.js';
import {h, form, table, section, button, clear, fmtTime, safe, put} from '../ui.js';

const PAGE = 100;

export async function render(ctx) {
	const list = h('div');
	const more = h('div', {class: 'pager'});
	const superadmin = ctx.user.role === 'superadmin';
	let tenant = superadmin ? (ctx.query.tenant || '') : '';
	let rows = [];

	async function load(older = false) {
		const r = await api.get('/api/v1/audit', {limit: PAGE, tenant,
			before: older && rows.length ? rows[rows.length - 1].id : ''});
		rows = older ? rows.concat(r.entries) : r.entries;
		clear(list, table([
			{label: 'When', value: (a) => fmtTime(a.at)},
			{label: 'Who', value: (a) => a.user},
			superadmin ? {label: 'Tenant', value: (a) => a.tenant} : null,
			{label: 'What', value: (a) => h('code', {}, a.action)},
			{label: 'Object', value: (a) => a.object},
			{label: 'From', value: (a) => a.source},
		].filter(Boolean), rows.map((a) => ({...a, _data: {id: a.id}})),
		{name: 'audit', empty: 'Nothing logged yet.'}));
		clear(more, h('span', {class: 'muted'}, `${rows.length} entries shown`),
			r.entries.length === PAGE ? button('Older →', safe(ctx.view, () => load(true)), 'secondary small') : null);
	}

	const filter = superadmin ? form({
		name: 'audit-filter',
		cls: 'inline',
		fields: [{name: 'tenant', label: 'Tenant domain', value: tenant, placeholder: 'all tenants'}],
		submit: 'Show',
		async onSubmit(v) {
			tenant = v.tenant;
			ctx.setQuery({tenant});
			await load();
		},
	}) : null;

	put(ctx.view, h('h1', {}, 'Audit log'), filter ? section(null, filter.el) : null,
		section(null, list, more));
	await load();
}
