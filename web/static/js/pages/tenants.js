// tenants.js - #/tenants (superadmin): the customer companies, adding one,
// deleting one (with everything it has), opening one or its settings,
// downloading one's archive to move it to another node.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, put} from '../ui.js';
import {link, refreshTenants} from '../app.js';

export async function render(ctx) {
	const list = h('div');
	const add = form({
		name: 'tenant-add',
		cls: 'inline',
		fields: [
			{name: 'name', label: 'Company name', placeholder: 'Acme Ltd'},
			{name: 'domain', label: 'SIP domain', placeholder: 'acme.example.com',
				hint: 'Phones register as EXTENSION@domain'},
		],
		submit: 'Add tenant',
		async onSubmit(v, f) {
			const t = await api.post('/api/v1/tenants', v);
			f.reset();
			flash(ctx.view, `Tenant ${t.domain} added.`);
			await refreshTenants();
			await load();
		},
	});

	async function remove(t) {
		if (!await confirmBox(`Delete tenant ${t.domain} with all its extensions, voicemail and call records?`))
			return;
		try {
			await api.del(api.tpath(t.domain));
			flash(ctx.view, `Tenant ${t.domain} deleted.`);
			await refreshTenants();
			await load();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	async function load() {
		const r = await api.get('/api/v1/tenants');
		clear(list, table([
			{label: 'Name', value: (t) => h('a', {href: link('t', t.domain, 'dashboard')}, t.name)},
			{label: 'Domain', value: (t) => h('code', {}, t.domain)},
			{label: 'Codecs', value: (t) => t.codecs},
			{label: '', cls: 'actions', value: (t) => [
				h('a', {class: 'btn secondary small', href: link('t', t.domain, 'extensions')}, 'Extensions'), ' ',
				h('a', {class: 'btn secondary small', href: link('t', t.domain, 'settings')}, 'Settings'), ' ',
				// The archive `ondoctl tenant import` or POST /api/v1/tenant-import
				// takes on another node (docs/tenant-move.md).
				h('a', {class: 'btn secondary small', download: `${t.domain}.tar`,
					href: api.tpath(t.domain) + '/archive'}, 'Export'), ' ',
				button('Delete', () => remove(t), 'danger small')]},
		], r.tenants.map((t) => ({...t, _data: {domain: t.domain}})),
		{name: 'tenants', empty: 'No tenants yet: add the first one below.'}));
	}

	put(ctx.view, h('h1', {}, 'Tenants'), section(null, list), section('Add a tenant', add.el));
	await load();
}
