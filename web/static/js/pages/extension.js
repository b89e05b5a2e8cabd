// extension.js - #/t/DOMAIN/extensions/NUMBER: one extension. An admin
// changes its name, ring timeout, pickup group, calls at once, class of
// service, own DID, recording and SIP password or deletes it; the
// extension's own user changes the password.
// Both hear its voicemail in the page, mark messages heard and delete
// them, and set its forwarding and do-not-disturb (forward.js).
import * as api from '../api.js';
import {h, form, section, button, confirmBox, flash, clear, fmtTime,
	fmtDuration, randomPassword, safe, put} from '../ui.js';
import {tlink, go} from '../app.js';
import {mailboxSettings, greetings} from './mailbox.js';
import {forwardSettings, forwardSummary} from './forward.js';

// Classes of service, lowest first (docs/trunks.md), and when calls are
// recorded, as the API names them; the routes page uses them too.
export const COS = ['internal', 'local', 'national', 'international'];
export const RECORD = [['never', 'never'], ['on-demand', 'on demand (record code)'],
	['always', 'always']];

export async function render(ctx) {
	const num = ctx.params.e;
	const path = api.tpath(ctx.tenant, 'extensions', num);
	let ext = await api.get(path);
	const title = h('h1');
	const summary = h('p', {class: 'muted', dataset: {vmSummary: ''}});
	const fwdSummary = h('p', {class: 'muted', dataset: {fwdSummary: ''}});

	function showHeader() {
		clear(title, `Extension ${ext.number}`, ext.name ? ` — ${ext.name}` : '');
		const vm = ext.voicemail;
		summary.textContent = !vm ? 'No mailbox.'
			: `Mailbox ${vm.enabled ? 'on' : 'off'}; ${vm.new} new, ${vm.saved} saved` +
			  `${vm.pin_set ? '' : '; no PIN set'}${vm.email ? `; copies to ${vm.email}` : ''}.`;
		fwdSummary.textContent = forwardSummary(ext);
	}

	const settings = ctx.isAdmin ? form({
		name: 'ext-edit',
		fields: [
			{name: 'name', label: 'Name', value: ext.name},
			{name: 'ring_timeout', label: 'Ring timeout (s)', type: 'number', value: ext.ring_timeout,
				hint: 'How long phones ring before voicemail or 480'},
			{name: 'pickup_group', label: 'Call pickup group', value: ext.pickup_group ?? '',
				placeholder: 'none', hint: 'a-z, 0-9, _ and -: *8 from a phone of the same group answers this extension’s calls'},
			// An older daemon has no max_calls: no field then.
			'max_calls' in ext ? {name: 'max_calls', label: 'Calls at once', type: 'number',
				value: ext.max_calls, min: 0, max: 100000, unit: 'calls', inputmode: 'numeric',
				hint: '0 = no limit. The calls it makes and those ringing it; past it, it is busy'} : null,
			// An older daemon has none of these three either.
			'cos' in ext ? {name: 'cos', label: 'Class of service', type: 'select', value: ext.cos,
				options: COS, hint: 'internal < local < national < international: it may use the routes that need its class or a lower one'} : null,
			'did' in ext ? {name: 'did', label: 'Own DID', value: ext.did, placeholder: '+4930123456',
				inputmode: 'tel', hint: 'E.164, or empty for none: its caller ID on a trunk that sends the extension’s DID (else the main number)'} : null,
			'record' in ext ? {name: 'record', label: 'Recording', type: 'select', value: ext.record,
				options: RECORD, hint: 'Of its calls; the strongest of caller, callee and route wins'} : null,
		].filter(Boolean),
		submit: 'Save',
		async onSubmit(v) {
			ext = await api.patch(path, v);
			showHeader();
			flash(ctx.view, 'Saved.');
		},
	}) : null;

	const pw = form({
		name: 'ext-password',
		fields: [{name: 'password', label: 'New SIP password', type: 'text',
			value: ctx.isAdmin ? randomPassword() : '', autocomplete: 'new-password',
			hint: 'Phones of this extension must be given the new one'}],
		submit: 'Change password',
		async onSubmit(v, f) {
			await api.patch(path, v);
			f.reset();
			flash(ctx.view, 'Password changed.');
		},
	});

	const del = ctx.isAdmin ? button('Delete extension', async () => {
		if (!await confirmBox(`Delete extension ${num} with its voicemail?`))
			return;
		try {
			await api.del(path);
			go(tlink('extensions'));
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}, 'danger') : null;

	showHeader();
	put(ctx.view, 
		ctx.isAdmin ? h('p', {}, h('a', {href: tlink('extensions')}, '← All extensions')) : null,
		title, summary, fwdSummary,
		section('Voicemail', await inbox(ctx, path, async () => {
			ext = await api.get(path);
			showHeader();
		})),
		h('div', {class: 'row'},
			settings ? section('Settings', settings.el) : null,
			section('SIP password', pw.el),
			ext.voicemail ? section('Mailbox', mailboxSettings(ctx, path, ext, async (e) => {
				ext = e;
				showHeader();
			})) : null),
		section('Forwarding and do-not-disturb', forwardSettings(ctx, path, ext, async (e) => {
			ext = e;
			showHeader();
		})),
		ext.voicemail ? section('Greetings', await greetings(ctx, path)) : null,
		del ? section(null, del) : null);
}

// The mailbox: new and saved messages, each with a player.
async function inbox(ctx, path, changed) {
	let folder = ctx.query.folder === 'saved' ? 'saved' : 'new';
	const list = h('ul', {class: 'messages', dataset: {folder}});
	const tabs = h('div', {class: 'tabs', role: 'group', 'aria-label': 'Folder'});
	const box = h('div', {}, tabs, list);

	function showTabs() {
		clear(tabs, ...['new', 'saved'].map((f) =>
			h('button', {type: 'button', class: 'small', 'aria-pressed': String(f === folder),
				dataset: {folder: f},
				on: {click: safe(box, () => { folder = f; ctx.setQuery({folder}); return load(); })}},
			f === 'new' ? 'New' : 'Saved')));
	}

	async function act(fn, what) {
		try {
			await fn();
			await load();
			await changed();
		} catch (err) {
			flash(box, `${what}: ${err.message}`, 'error');
		}
	}

	function item(m) {
		const audio = `${path}/voicemail/${api.seg(m.id)}/audio`;
		return h('li', {class: 'message', dataset: {msg: m.id}},
			h('div', {},
				h('span', {class: 'from'}, m.caller_name ? `${m.caller_name} <${m.caller}>` : m.caller || 'unknown caller'),
				h('br'),
				h('span', {class: 'muted'}, `${fmtTime(m.received_at)} · ${fmtDuration(m.duration_ms / 1000)}`)),
			h('div', {class: 'acts'},
				m.folder === 'new' ? button('Mark heard', () => act(() =>
					api.post(`${path}/voicemail/${api.seg(m.id)}/heard`), 'Mark heard'), 'secondary small') : null,
				button('Delete', async () => {
					if (await confirmBox('Delete this message?'))
						act(() => api.del(`${path}/voicemail/${api.seg(m.id)}`), 'Delete');
				}, 'danger small')),
			m.missing ? h('p', {class: 'flash error'}, 'The recording is missing from the spool.')
				: h('audio', {controls: true, preload: 'metadata', src: audio}));
	}

	async function load() {
		showTabs();
		list.dataset.folder = folder;
		const r = await api.get(`${path}/voicemail`, {folder});
		clear(list, ...(r.messages.length ? r.messages.map(item)
			: [h('li', {class: 'empty'}, folder === 'new' ? 'No new messages.' : 'No saved messages.')]));
	}

	await load();
	return box;
}
