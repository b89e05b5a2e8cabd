// users.js - #/t/DOMAIN/users: who may log in to the panel for this
// tenant: its admins, and extension users who see only their own
// extension (voicemail, SIP password).
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, put} from '../ui.js';

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'users');
	const list = h('div');

	async function load() {
		const r = await api.get(base);
		clear(list, table([
			{label: 'Username', value: (u) => u.username},
			{label: 'Role', value: (u) => u.role},
			{label: 'Extension', value: (u) => u.extension || ''},
			{label: '', cls: 'actions', value: (u) => u.id === ctx.user.id ? h('span', {class: 'muted'}, 'you')
				: button('Delete', () => remove(u), 'danger small')},
		], r.users.map((u) => ({...u, _data: {user: u.username}})),
		{name: 'users', empty: 'No web users in this tenant.'}));
	}

	async function remove(u) {
		if (!await confirmBox(`Delete web user ${u.username}?`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'users', u.id));
			flash(ctx.view, `User ${u.username} deleted.`);
			await load();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	const add = form({
		name: 'user-add',
		cls: 'inline',
		fields: [
			{name: 'username', label: 'Username', placeholder: 'alice'},
			{name: 'role', label: 'Role', type: 'select',
				options: [['user', 'user (one extension)'], ['admin', 'admin (the whole tenant)']]},
			{name: 'extension', label: 'Extension', optional: true, inputmode: 'numeric',
				hint: 'For a user: the extension it may see'},
			{name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password',
				hint: '8 characters or more'},
		],
		submit: 'Add user',
		async onSubmit(v, f) {
			if (v.role === 'admin')
				delete v.extension;
			await api.post(base, v);
			f.reset();
			flash(ctx.view, `User ${v.username} added.`);
			await load();
		},
	});

	put(ctx.view, h('h1', {}, 'Web users'), section(null, list), section('Add a user', add.el));
	await load();
}
