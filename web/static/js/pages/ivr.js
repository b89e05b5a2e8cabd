// ivr.js - #/t/DOMAIN/ivr: the tenant's IVR menus and a form for a new
// one; a menu's digit table is edited on its own page (ivr_menu.js).
import * as api from '../api.js';
import {h, form, table, section, clear, notYet, put} from '../ui.js';
import {tlink, go} from '../app.js';

export const FALLBACKS = [['hangup', 'hang up'], ['extension', 'ring an extension'],
	['menu', 'go to a menu'], ['number', 'dial a number'], ['voicemail', 'leave a message'],
	['conference', 'enter a conference room'], ['ringgroup', 'ring a ring group']];

// The settings of a menu as form fields, filled from `m` (a new menu:
// the server's defaults).
export function menuFields(m = {}) {
	return [
		{name: 'greeting', label: 'Greeting prompt', value: m.greeting ?? '', placeholder: 'welcome',
			hint: 'A prompt id: a sound file name without .wav'},
		{name: 'timeout_ms', label: 'Wait for a key (ms)', type: 'number', value: m.timeout_ms ?? 5000,
			min: 1000, max: 60000},
		{name: 'max_retries', label: 'Retries', type: 'number', value: m.max_retries ?? 3, min: 0, max: 10,
			hint: 'Wrong keys and timeouts before the fallback'},
		{name: 'invalid_prompt', label: 'After a wrong key', value: m.invalid_prompt ?? 'invalid_option'},
		{name: 'timeout_prompt', label: 'After no key', value: m.timeout_prompt ?? 'please_try_again'},
		{name: 'fallback_action', label: 'When retries run out', type: 'select', options: FALLBACKS,
			value: m.fallback_action || 'hangup'},
		{name: 'fallback_arg', label: 'Fallback extension, menu, number, room or group', value: m.fallback_arg ?? ''},
		{name: 'direct_dial', label: 'Callers may also dial an extension number', type: 'checkbox',
			value: !!m.direct_dial, wide: true},
	];
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'ivr');
	const list = h('div');
	let menus;
	try {
		menus = (await api.get(base)).menus;
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'IVR menus');
		throw err;
	}
	clear(list, table([
		{label: 'Menu', value: (m) => h('a', {href: tlink('ivr', m.name)}, m.name)},
		{label: 'Greeting', value: (m) => h('code', {}, m.greeting)},
		{label: 'Wait', cls: 'num', value: (m) => `${m.timeout_ms / 1000} s`},
		{label: 'Fallback', value: (m) => `${m.fallback_action} ${m.fallback_arg || ''}`},
		{label: '', cls: 'actions', value: (m) => h('a', {class: 'btn secondary small',
			href: tlink('ivr', m.name)}, 'Edit keys')},
	], menus.map((m) => ({...m, _data: {menu: m.name}})),
	{name: 'menus', empty: 'No menus yet.'}));

	const add = form({
		name: 'ivr-add',
		cls: 'inline',
		fields: [{name: 'name', label: 'Menu name', placeholder: 'main',
			hint: 'a-z, 0-9, _ and -; a route “ivr NAME” sends calls to it'}, ...menuFields()],
		submit: 'Add menu',
		async onSubmit(v) {
			await api.post(base, v);
			go(tlink('ivr', v.name));
		},
	});
	put(ctx.view, h('h1', {}, 'IVR menus'), section(null, list), section('Add a menu', add.el));
}
