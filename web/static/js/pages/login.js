// login.js - #/login: username and password; a wrong pair or a throttled
// name is said under the form.
import * as api from '../api.js';
import {h, form, put} from '../ui.js';
import {startSession} from '../app.js';

export async function render(ctx) {
	const f = form({
		name: 'login',
		fields: [
			{name: 'username', label: 'Username', autocomplete: 'username', required: true},
			{name: 'password', label: 'Password', type: 'password',
				autocomplete: 'current-password', required: true},
		],
		submit: 'Log in',
		async onSubmit(v) {
			if (!v.username)
				throw new api.ApiError(422, 'enter your username', 'username');
			const r = await api.post('/api/v1/login', v);
			await startSession(r.user, r.csrf);
		},
	});
	put(ctx.view, h('section', {class: 'card login'},
		h('h1', {}, 'Ondo PBX'),
		ctx.notice ? h('p', {class: 'flash ok', role: 'status'}, ctx.notice) : null,
		f.el));
	f.input('username').focus();
}
