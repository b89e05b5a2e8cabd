// trunks.js - #/t/DOMAIN/trunks: the tenant's carriers (and the shared
// ones), their live state (registration, reachable, calls) and limits
// (calls at once, outbound calls an hour), adding, changing and deleting
// one; and the tenant's public numbers (DIDs) with where each leads. The
// superadmin also adds, changes and deletes the shared trunks here
// (/api/v1/trunks); an admin sees them without their account and cannot
// change them. A DID's destination is changed in a form under the list
// ("Change"). docs/trunks.md says what the settings do.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';

const DESTS = [['extension', 'an extension'], ['ivr', 'an IVR menu'], ['voicemail', 'a mailbox'],
	['conference', 'a conference room'], ['ringgroup', 'a ring group'],
	['number', 'a number through the dialplan'], ['timecond', 'a time condition']];

// The settings of a trunk as form fields, filled from `t` (a trunk being
// changed) or empty (a new one). In a change every field is sent as it
// stands (an empty one clears it), but the password only when typed.
function trunkFields(t = null) {
	const v = (k) => (t ? t[k] ?? '' : undefined);
	return [
		{name: 'host', label: 'Carrier host', placeholder: 'sip.example.net', value: v('host')},
		{name: 'port', label: 'Port', type: 'number', optional: true, placeholder: '5060', value: v('port')},
		{name: 'transport', label: 'Transport', type: 'select', options: ['udp', 'tcp'], value: v('transport')},
		{name: 'auth', label: 'Sign-in', type: 'select', value: v('auth'),
			options: [['register', 'registers with a username'], ['ip', 'by the carrier\'s address']]},
		{name: 'username', label: 'Username', optional: !t, value: v('username')},
		{name: 'password', label: 'Password', type: 'password', optional: true, autocomplete: 'new-password',
			hint: t && t.password_set ? 'empty: keep the one set' : null},
		{name: 'ips', label: 'Carrier addresses', optional: !t, placeholder: '203.0.113.5,203.0.113.6',
			hint: 'IPv4/IPv6 addresses, prefixes (203.0.113.0/28) or host names, comma-separated; empty: the host\'s own', value: v('ips')},
		{name: 'callerid', label: 'Caller ID', type: 'select', value: v('callerid'),
			options: [['did', 'the extension\'s DID'], ['main', 'the main number'], ['anonymous', 'anonymous']]},
		{name: 'max_calls', label: 'Calls at most', type: 'number', optional: true, placeholder: '0 (no limit)',
			value: v('max_calls'), min: 0, hint: 'at once; 0 = no limit'},
		{name: 'max_per_hour', label: 'Outbound calls per hour', type: 'number', optional: true,
			placeholder: '0 (no limit)', value: v('max_per_hour'), min: 0, max: 1000000,
			hint: '0 = no limit; past it calls take the next trunk'},
	];
}

// "4 at once, 30/h", "30/h", "no limit": the trunk's own limits (its
// live counts are in the Calls column).
function limitsText(x) {
	const parts = [x.max_calls ? `${x.max_calls} at once` : null,
		x.max_per_hour ? `${x.max_per_hour}/h` : null].filter(Boolean);
	return parts.length ? parts.join(', ') : 'no limit';
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'trunks');
	const dids = api.tpath(ctx.tenant, 'dids');
	const superadmin = ctx.user.role === 'superadmin';
	const list = h('div'), numbers = h('div'), editing = h('div'), didEditing = h('div');
	// Where a trunk is changed and deleted: a shared one is the
	// superadmin's, at /api/v1/trunks; the tenant's own under its path.
	const pathOf = (x) => (x.shared ? `/api/v1/trunks/${api.seg(x.name)}`
		: api.tpath(ctx.tenant, 'trunks', x.name));
	const mayChange = (x) => !x.shared || superadmin;

	async function loadTrunks() {
		const [r, s] = await Promise.all([api.get(base), api.get(api.tpath(ctx.tenant, 'trunk-status'))]);
		const state = new Map(s.trunks.map((x) => [`${x.shared}/${x.name}`, x]));
		clear(list, table([
			{label: 'Name', value: (x) => x.shared ? `${x.name} (shared)` : x.name},
			{label: 'Carrier', value: (x) => `${x.host}:${x.port} ${x.transport}`},
			{label: 'Sign-in', value: (x) => x.auth !== 'register' ? 'by address'
				: x.username ? `registers as ${x.username}` : 'registers'},
			{label: 'State', value: (x) => {
				const st = state.get(`${x.shared}/${x.name}`);
				return st ? h('span', {class: 'tag'}, `${st.registration}, ${st.reachable}`) : '';
			}},
			{label: 'Calls', cls: 'num', value: (x) => state.get(`${x.shared}/${x.name}`)?.calls ?? ''},
			{label: 'Max calls', cls: 'num', value: (x) => h('span', {dataset: {limits: ''}}, limitsText(x))},
			{label: '', cls: 'actions', value: (x) => mayChange(x) ? [
				button('Change', () => edit(x), 'secondary small'), ' ',
				button('Delete', () => remove(x), 'danger small')] : ''},
		], r.trunks.map((x) => ({...x, _data: {trunk: x.name}})),
		{name: 'trunks', empty: 'No trunks: calls cannot leave the PBX yet.'}));
	}

	async function loadDids() {
		const r = await api.get(dids);
		clear(numbers, table([
			{label: 'Number', value: (x) => x.number},
			{label: 'Goes to', value: (x) => `${x.dest_type} ${x.dest}`},
			{label: '', cls: 'actions', value: (x) => [
				button('Change', () => editDid(x), 'secondary small'), ' ',
				button('Delete', () => removeDid(x), 'danger small')]},
		], r.dids.map((x) => ({...x, _data: {did: x.number}})),
		{name: 'dids', empty: 'No public numbers yet.'}));
	}

	async function remove(x) {
		if (!await confirmBox(x.shared
			? `Delete the shared trunk ${x.name}? No tenant's calls can use it any more.`
			: `Delete the trunk ${x.name}? Routes that use it fail over to the next trunk or fail.`))
			return;
		try {
			await api.del(pathOf(x));
			clear(editing);
			flash(ctx.view, `Trunk ${x.name} deleted.`);
			await loadTrunks();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	// A form to change trunk x under the list; what is refused is said
	// next to its field.
	function edit(x) {
		const f = form({
			name: 'trunk-edit',
			cls: 'inline',
			fields: trunkFields(x),
			submit: 'Save trunk',
			extra: button('Cancel', () => clear(editing), 'secondary'),
			async onSubmit(v) {
				await api.patch(pathOf(x), v);
				clear(editing);
				flash(ctx.view, `Trunk ${x.name} changed.`);
				await loadTrunks();
			},
		});
		clear(editing, section(`Change ${x.shared ? 'the shared trunk' : 'trunk'} ${x.name}`, f.el));
		f.input('host').focus();
	}

	// A form under the numbers to send DID x elsewhere (PATCH); a refused
	// destination is said next to its field.
	function editDid(x) {
		const f = form({
			name: 'did-edit',
			cls: 'inline',
			fields: [
				{name: 'dest_type', label: 'Goes to', type: 'select', options: DESTS, value: x.dest_type},
				{name: 'dest', label: 'Which', value: x.dest, placeholder: '1001'},
			],
			submit: 'Save number',
			extra: button('Cancel', () => clear(didEditing), 'secondary'),
			async onSubmit(v) {
				const d = await api.patch(api.tpath(ctx.tenant, 'dids', x.number), v);
				clear(didEditing);
				flash(ctx.view, `${x.number} now goes to ${d.dest_type} ${d.dest}.`);
				await loadDids();
			},
		});
		clear(didEditing, section(`Change where ${x.number} goes`, f.el));
		f.input('dest_type').focus();
	}

	async function removeDid(x) {
		if (!await confirmBox(`Delete ${x.number}? Calls to it will get 404.`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'dids', x.number));
			clear(didEditing);
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
			...trunkFields(),
			superadmin ? {name: 'shared', label: 'Shared by every tenant', type: 'checkbox'} : null,
		].filter(Boolean),
		submit: 'Add trunk',
		async onSubmit(v, f) {
			const {shared, ...trunk} = v;
			await api.post(shared ? '/api/v1/trunks' : base, trunk);
			f.reset();
			flash(ctx.view, `${shared ? 'Shared trunk' : 'Trunk'} ${v.name} added.`);
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
		section('Trunks', list), editing, section('Add a trunk', add.el),
		section('Public numbers (DIDs)', numbers), didEditing, section('Add a number', addDid.el));
	ctx.every(5000, loadTrunks);
}
