// routes.js - #/t/DOMAIN/routes: the tenant's dialplan, in the order its
// routes are tried; add one (pattern, application, arguments, priority,
// class of service), change a route's class of service and recording in
// its row, or delete one. docs/dialplan.md says what they do.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, notYet, put} from '../ui.js';
import {COS, RECORD} from './extension.js';

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
		// A daemon that lists a route's recording also changes it and
		// its class (PATCH); an older one shows the class as text.
		const rows = r.routes.map((x) => ({...x, _data: {route: x.id, pattern: x.pattern},
			_edit: 'record' in x ? rowEditor(x) : null}));
		clear(list, table([
			{label: 'Priority', cls: 'num', value: (x) => String(x.priority)},
			{label: 'Pattern', value: (x) => h('code', {}, x.pattern)},
			{label: 'Application', value: (x) => x.app},
			{label: 'Arguments', value: (x) => h('code', {}, x.args || '')},
			{label: 'Class of service', value: (x) => x._edit ? x._edit.cell.cos : x.cos || ''},
			{label: 'Recording', value: (x) => x._edit ? x._edit.cell.record : ''},
			{label: '', cls: 'actions', value: (x) => [x._edit ? x._edit.save : null,
				button('Delete', () => remove(x), 'danger small')]},
		], rows, {name: 'routes', empty: 'No routes: dialled numbers reach the extensions directly.'}));
	}

	// A route's class of service and recording as selects in its row,
	// with an error under each and a Save that sends what changed
	// (PATCH); the row is marked until it is saved. Returns {cell:
	// {cos, record}, save}.
	function rowEditor(x) {
		const saved = {cos: x.cos, record: x.record};
		const sel = {
			cos: h('select', {name: 'cos', 'aria-label': `Class of service of route ${x.pattern}`},
				COS.map((c) => h('option', {value: c}, c))),
			record: h('select', {name: 'record', 'aria-label': `Recording of route ${x.pattern}`},
				RECORD.map(([v, label]) => h('option', {value: v}, label))),
		};
		const err = {}, cell = {};
		for (const k of Object.keys(sel)) {
			sel[k].value = saved[k];
			err[k] = h('p', {class: 'field-error', hidden: true, dataset: {errorFor: k}});
			cell[k] = h('div', {class: 'cell-edit'}, sel[k], err[k]);
		}
		const changes = () => Object.fromEntries(Object.keys(sel)
			.filter((k) => sel[k].value !== saved[k]).map((k) => [k, sel[k].value]));
		const mark = () => {
			const n = Object.keys(changes()).length;
			save.disabled = !n;
			save.closest('tr')?.classList.toggle('changed', n > 0);
		};
		const save = button('Save', async () => {
			for (const k of Object.keys(sel)) {
				err[k].hidden = true;
				sel[k].removeAttribute('aria-invalid');
			}
			save.disabled = true;
			try {
				const want = changes();
				const r = await api.patch(api.tpath(ctx.tenant, 'routes', x.id), want);
				Object.assign(saved, want, r ? {cos: r.cos, record: r.record} : {});
				for (const k of Object.keys(sel))
					sel[k].value = saved[k];
				flash(ctx.view, `Route ${x.pattern} saved: class ${saved.cos}, recording ${saved.record}.`);
			} catch (e) {
				// A refusal about no field of the row (405 from an
				// older daemon, 404) goes under the class.
				const k = e.field in sel ? e.field : 'cos';
				err[k].textContent = e.message;
				err[k].hidden = false;
				sel[k].setAttribute('aria-invalid', 'true');
			}
			mark();
		}, 'small');
		save.disabled = true;
		for (const s of Object.values(sel))
			s.addEventListener('change', mark);
		return {cell, save};
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
				options: [['', '(default)'], ...COS]},
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
