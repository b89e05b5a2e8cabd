// routes.js - #/t/DOMAIN/routes: the tenant's dialplan, in the order its
// routes are tried; add one (pattern, application, arguments, priority,
// class of service) or delete one. docs/dialplan.md says what they do.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';

// app -> [its arguments, what it does] (ondoctl dialplan apps)
const APPS = {
	dial: ['NUMBER or sip:URI', 'ring an extension or a SIP URI'],
	ivr: ['MENU', 'run an IVR menu'],
	playback: ['PROMPT[&PROMPT...]', 'answer and play prompts'],
	voicemail: ['EXT[,busy|unavail]', 'leave a message in a mailbox'],
	mailbox: ['[EXT|any]', 'listen to a mailbox'],
	echo: ['', 'echo test: audio and DTMF back'],
	trunk: ['TRUNK[,TRUNK...] +E164', 'call out by trunks, in turn'],
	timecond: ['NAME', 'go where a time condition says now'],
	conference: ['ROOM', 'enter a conference room'],
	ringgroup: ['GROUP', 'ring a ring group’s members'],
	hangup: ['', 'hang up'],
};

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'routes');
	const list = h('div');

	async function load(first) {
		const r = first || await api.get(base);
		r.routes.sort((a, b) => a.priority - b.priority || a.id - b.id);
		clear(list, table([
			{label: 'Priority', cls: 'num', value: (x) => String(x.priority)},
			{label: 'Pattern', value: (x) => h('code', {}, x.pattern)},
			{label: 'Application', value: (x) => x.app},
			{label: 'Arguments', value: (x) => h('code', {}, x.args || '')},
			{label: 'Class of service', value: (x) => x.cos || ''},
			{label: '', cls: 'actions', value: (x) => button('Delete', () => remove(x), 'danger small')},
		], r.routes.map((x) => ({...x, _data: {route: x.id, pattern: x.pattern}})),
		{name: 'routes', empty: 'No routes: dialled numbers reach the extensions directly.'}));
	}

	async function remove(x) {
		if (!await confirmBox(`Delete the route ${x.pattern} → ${x.app} ${x.args || ''}?`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'routes', x.id));
			flash(ctx.view, `Route ${x.pattern} deleted.`);
			await load();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	const add = form({
		name: 'route-add',
		cls: 'inline',
		fields: [
			{name: 'pattern', label: 'Pattern', placeholder: '_9.',
				hint: '1001, _2XXX or ~regex'},
			{name: 'app', label: 'Application', type: 'select',
				options: Object.entries(APPS).map(([a, [, what]]) => [a, `${a}: ${what}`])},
			{name: 'args', label: 'Arguments', optional: true, placeholder: APPS.dial[0],
				hint: '${EXTEN}, ${CALLER} and ${1}... are replaced'},
			{name: 'priority', label: 'Priority', type: 'number', optional: true, placeholder: '100',
				hint: '0 to 9999; lower is tried first'},
			{name: 'cos', label: 'Class of service', type: 'select', optional: true,
				options: [['', '(default)'], 'internal', 'local', 'national', 'international']},
		],
		submit: 'Add route',
		async onSubmit(v, f) {
			await api.post(base, v);
			f.reset();
			flash(ctx.view, `Route ${v.pattern} added.`);
			await load();
		},
	});

	const app = add.input('app'), args = add.input('args');
	const argsFor = () => {
		args.placeholder = APPS[app.value][0] || '(none)';
		args.disabled = !APPS[app.value][0];
	};
	app.addEventListener('change', argsFor);
	add.el.addEventListener('reset', () => setTimeout(argsFor));

	let first;
	try {
		first = await api.get(base);
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'routes');
		throw err;
	}
	put(ctx.view, h('h1', {}, 'Routes'),
		h('p', {class: 'muted'}, 'A dialled number runs the first route that matches it; numbers no route takes ring the extension of that number.'),
		section(null, list), section('Add a route', add.el));
	await load(first);
}
