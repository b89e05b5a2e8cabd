// trunks.js - #/t/DOMAIN/trunks: the tenant's carriers (and the shared
// ones), their live state (registration, reachable, calls), adding one
// and deleting one; and the tenant's public numbers (DIDs) with where
// each leads. docs/trunks.md says what the settings do.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';

const DESTS = [['extension', 'an extension'], ['ivr', 'an IVR menu'], ['voicemail', 'a mailbox'],
	['conference', 'a conference room'], ['ringgroup', 'a ring group'],
	['number', 'a number through the dialplan'], ['timecond', 'a time condition']];

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'trunks');
	const dids = api.tpath(ctx.tenant, 'dids');
	const list = h('div'), numbers = h('div');

	async function loadTrunks() {
		const [r, s] = await Promise.all([api.get(base), api.get(api.tpath(ctx.tenant, 'trunk-status'))]);
		const state = new Map(s.trunks.map((x) => [`${x.shared}/${x.name}`, x]));
		clear(list, table([
			{label: 'Name', value: (x) => x.shared ? `${x.name} (shared)` : x.name},
			{label: 'Carrier', value: (x) => `${x.host}:${x.port} ${x.transport}`},
			{label: 'Sign-in', value: (x) => x.auth === 'register' ? `registers as ${x.username}` : 'by address'},
			{label: 'State', value: (x) => {
				const st = state.get(`${x.shared}/${x.name}`);
				return st ? h('span', {class: 'tag'}, `${st.registration}, ${st.reachable}`) : '';
			}},
			{label: 'Calls', cls: 'num', value: (x) => state.get(`${x.shared}/${x.name}`)?.calls ?? ''},
			{label: '', cls: 'actions', value: (x) => x.shared ? '' : button('Delete', () => remove(x), 'danger small')},
		], r.trunks.map((x) => ({...x, _data: {trunk: x.name}})),
		{name: 'trunks', empty: 'No trunks: calls cannot leave the PBX yet.'}));
	}

	async function loadDids() {
		const r = await api.get(dids);
		clear(numbers, table([
			{label: 'Number', value: (x) => x.number},
			{label: 'Goes to', value: (x) => `${x.dest_type} ${x.dest}`},
			{label: '', cls: 'actions', value: (x) => button('Delete', () => removeDid(x), 'danger small')},
		], r.dids.map((x) => ({...x, _data: {did: x.number}})),
		{name: 'dids', empty: 'No public numbers yet.'}));
	}

	async function remove(x) {
		if (!await confirmBox(`Delete the trunk ${x.name}? Routes that use it fail over to the next trunk or fail.`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'trunks', x.name));
			flash(ctx.view, `Trunk ${x.name} deleted.`);
			await loadTrunks();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	async function removeDid(x) {
		if (!await confirmBox(`Delete ${x.number}? Calls to it will get 404.`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'dids', x.number));
			flash(ctx.view, `${x.number} deleted.`);
			await loadDids();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	const add = form({
		name: 'trunk-add',
		cls: 'inline',
		fields: [
			{name: 'name', label: 'Name', placeholder: 'carrier', hint: 'a-z, 0-9, _ and -'},
			{name: 'host', label: 'Carrier host', placeholder: 'sip.example.net'},
			{name: 'port', label: 'Port', type: 'number', optional: true, placeholder: '5060'},
			{name: 'transport', label: 'Transport', type: 'select', options: ['udp', 'tcp']},
			{name: 'auth', label: 'Sign-in', type: 'select',
				options: [['register', 'registers with a username'], ['ip', 'by the carrier\'s address']]},
			{name: 'username', label: 'Username', optional: true},
			{name: 'password', label: 'Password', type: 'password', optional: true, autocomplete: 'new-password'},
			{name: 'ips', label: 'Carrier addresses', optional: true, placeholder: '203.0.113.5,203.0.113.6',
				hint: 'IPv4/IPv6 addresses, prefixes (203.0.113.0/28) or host names, comma-separated; empty: the host\'s own'},
			{name: 'callerid', label: 'Caller ID', type: 'select',
				options: [['did', 'the extension\'s DID'], ['main', 'the main number'], ['anonymous', 'anonymous']]},
			{name: 'max_calls', label: 'Calls at most', type: 'number', optional: true, placeholder: '0 (no limit)'},
		],
		submit: 'Add trunk',
		async onSubmit(v, f) {
			await api.post(base, v);
			f.reset();
			flash(ctx.view, `Trunk ${v.name} added.`);
			await loadTrunks();
		},
	});

	const addDid = form({
		name: 'did-add',
		cls: 'inline',
		fields: [
			{name: 'number', label: 'Number', placeholder: '+4930123456', hint: 'E.164'},
			{name: 'dest_type', label: 'Goes to', type: 'select', options: DESTS},
			{name: 'dest', label: 'Which', placeholder: '1001'},
		],
		submit: 'Add number',
		async onSubmit(v, f) {
			await api.post(dids, v);
			f.reset();
			flash(ctx.view, `${v.number} added.`);
			await loadDids();
		},
	});

	try {
		await loadTrunks();
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'trunks');
		throw err;
	}
	await loadDids();
	put(ctx.view, h('h1', {}, 'Trunks and numbers'),
		section('Trunks', list), section('Add a trunk', add.el),
		section('Public numbers (DIDs)', numbers), section('Add a number', addDid.el));
	ctx.every(5000, loadTrunks);
}
