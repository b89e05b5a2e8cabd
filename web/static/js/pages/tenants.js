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

	const cluster = h('div');
	put(ctx.view, h('h1', {}, 'Tenants'), section(null, list), section('Add a tenant', add.el), cluster);
	await load();
	await loadCluster(ctx, cluster);
}

// A node behind a cluster front (docs/scale-out.md): where it sits, and the
// front's tenant table, with a button that points the table at this node
// again for all of its tenants. Nothing for a stand-alone PBX.
async function loadCluster(ctx, el) {
	const c = await api.get('/api/v1/cluster');
	if (!c.front && !c.table_api)
		return;
	const sync = c.table_api ? button('Sync the front\'s table', async () => {
		try {
			const r = await api.post('/api/v1/cluster/sync', {});
			flash(ctx.view, r.failed ? `Sync: ${r.failed} failed: ${r.error}` : `Sync: ${r.sent} tenants point at node ${c.node}.`,
				r.failed ? 'error' : undefined);
			await loadCluster(ctx, el);
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}, 'secondary small') : null;
	const rows = c.table || [];
	clear(el, section('Cluster', h('div', {},
		h('p', {}, `This node is node ${c.node || '?'} behind the front ${c.front || '(none set)'}.`),
		c.error ? h('p', {class: 'error'}, `The front's table cannot be read: ${c.error}`) : null,
		c.table ? table([
			{label: 'Domain', value: (r) => h('code', {}, r.domain)},
			{label: 'Node', value: (r) => r.node === c.node ? `${r.node} (this one)` : String(r.node)},
		], rows, {name: 'cluster', empty: 'The front\'s table is empty.'}) : null,
		sync)));
}
