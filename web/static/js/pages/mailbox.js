// mailbox.js - the parts of an extension's page about its mailbox that
// are not messages: the settings (PIN, email copy; an admin also turns it
// on or off) and the greetings, heard in the page and uploaded as WAV.
import * as api from '../api.js';
import {h, form, table, button, confirmBox, flash, clear, safe} from '../ui.js';

const KINDS = [['unavail', 'Not available'], ['busy', 'Busy'], ['temp', 'Temporary (replaces both)'],
	['name', 'Your name']];

// The settings form; only what was changed is sent. changed(ext) is told
// the extension as the daemon then returns it.
export function mailboxSettings(ctx, path, ext, changed) {
	const vm = ext.voicemail;
	const f = form({
		name: 'mailbox',
		fields: [
			{name: 'pin', label: 'New PIN', type: 'password', autocomplete: 'new-password', inputmode: 'numeric',
				hint: '4 to 10 digits for the phone menu; leave empty to keep the one set'},
			{name: 'email', label: 'Email a copy of each message to', type: 'email', value: vm.email,
				placeholder: 'name@example.com'},
			{name: 'attach', label: 'Attach the recording (else a link)', type: 'checkbox', value: vm.attach},
			ctx.isAdmin ? {name: 'enabled', label: 'Mailbox on', type: 'checkbox', value: vm.enabled} : null,
			ctx.isAdmin ? {name: 'max_messages', label: 'Messages kept at most', type: 'number',
				value: vm.max_messages, min: 1, max: 10000} : null,
			ctx.isAdmin ? {name: 'max_minutes', label: 'Minutes kept at most', type: 'number',
				value: vm.max_minutes, min: 1, max: 6000} : null,
		].filter(Boolean),
		submit: 'Save mailbox',
		async onSubmit(v, form) {
			const body = {};
			if (v.pin)
				body.pin = v.pin;
			if (v.email !== (vm.email || ''))
				body.email = v.email;
			if (v.attach !== vm.attach)
				body.attach = v.attach;
			if (ctx.isAdmin && v.enabled !== vm.enabled)
				body.enabled = v.enabled;
			for (const k of ['max_messages', 'max_minutes'])
				if (ctx.isAdmin && v[k] !== vm[k])
					body[k] = v[k];
			if (!Object.keys(body).length)
				throw new api.ApiError(422, 'nothing was changed', null);
			const e = await api.patch(`${path}/mailbox`, body);
			Object.assign(vm, e.voicemail);
			form.input('pin').value = '';
			flash(ctx.view, 'Mailbox settings saved.');
			await changed(e);
		},
	});
	return f.el;
}

// The greetings: which are recorded, a player for each, an upload.
export async function greetings(ctx, path) {
	const box = h('div');
	const list = h('div');

	async function load() {
		const g = (await api.get(`${path}/greetings`)).greetings;
		clear(list, table([
			{label: 'Greeting', value: ({label}) => label},
			{label: 'Recorded', value: ({k}) => g[k]
				? h('audio', {controls: true, preload: 'none', src: `${path}/greetings/${k}`})
				: h('span', {class: 'muted'}, 'stock prompt')},
			{label: '', cls: 'actions', value: ({k, label}) => g[k] ? button('Delete', safe(box, async () => {
				if (!await confirmBox(`Delete the “${label}” greeting? Callers hear the stock prompt again.`))
					return;
				await api.del(`${path}/greetings/${k}`);
				await load();
			}), 'danger small') : null},
		], KINDS.map(([k, label]) => ({k, label, _data: {greeting: k}})), {name: 'greetings'}));
	}

	const up = form({
		name: 'greeting-upload',
		cls: 'inline',
		fields: [
			{name: 'kind', label: 'Greeting', type: 'select', options: KINDS},
			{name: 'file', label: 'WAV file', type: 'file', accept: '.wav,audio/wav,audio/x-wav',
				hint: 'At least a second of sound, at most 10 MiB', wide: true},
		],
		submit: 'Upload',
		async onSubmit(v, f) {
			if (!v.file)
				throw new api.ApiError(422, 'choose a WAV file', 'file');
			await api.put(`${path}/greetings/${v.kind}`,
				new Blob([v.file], {type: 'audio/wav'}));
			f.reset();
			flash(box, 'Greeting uploaded.');
			await load();
		},
	});
	box.append(list, up.el);
	await load();
	return box;
}
