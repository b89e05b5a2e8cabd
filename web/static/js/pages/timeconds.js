// timeconds.js - #/t/DOMAIN/timeconds: the tenant's time conditions (open
// or closed now, where each side goes) and a form for a new one; a
// condition's weekly rules and holidays are edited on its own page
// (timecond.js). docs/trunks.md explains them.
import * as api from '../api.js';
import {h, form, table, section, clear, notYet, put} from '../ui.js';
import {tlink, go} from '../app.js';

export const DESTS = [['extension', 'an extension'], ['ivr', 'an IVR menu'],
	['voicemail', 'a mailbox'], ['conference', 'a conference room'], ['ringgroup', 'a ring group'],
	['number', 'a number through the dialplan']];

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'timeconds');
	const list = h('div');
	let tcs;
	try {
		tcs = (await api.get(base)).timeconds;
	} catch (err) {
		if (api.missingEndpoint(err))
			return notYet(ctx.view, 'time conditions');
		throw err;
	}
	clear(list, table([
		{label: 'Condition', value: (x) => h('a', {href: tlink('timeconds', x.name)}, x.name)},
		{label: 'When open', value: (x) => `${x.open_type} ${x.open_dest}`},
		{label: 'When closed', value: (x) => `${x.closed_type} ${x.closed_dest}`},
		{label: '', cls: 'actions', value: (x) => h('a', {class: 'btn secondary small',
			href: tlink('timeconds', x.name)}, 'Hours and holidays')},
	], tcs.map((x) => ({...x, _data: {timecond: x.name}})),
	{name: 'timeconds', empty: 'No time conditions yet.'}));

	const add = form({
		name: 'timecond-add',
		cls: 'inline',
		fields: [
			{name: 'name', label: 'Name', placeholder: 'office', hint: 'a-z, 0-9, _ and -'},
			{name: 'open_type', label: 'When open, to', type: 'select', options: DESTS},
			{name: 'open_dest', label: 'Which', placeholder: 'main'},
			{name: 'closed_type', label: 'When closed, to', type: 'select', options: DESTS,
				value: 'voicemail'},
			{name: 'closed_dest', label: 'Which', placeholder: '1001'},
		],
		submit: 'Add condition',
		async onSubmit(v) {
			await api.post(base, v);
			go(tlink('timeconds', v.name));
		},
	});
	put(ctx.view, h('h1', {}, 'Time conditions'),
		h('p', {class: 'muted'}, 'A DID or a route (“timecond NAME”) sends calls to the open side during the weekly hours, and to the closed side at other times and on holidays, in the tenant’s time zone.'),
		section(null, list), section('Add a time condition', add.el));
}
