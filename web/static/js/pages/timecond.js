// timecond.js - #/t/DOMAIN/timeconds/NAME: one time condition: open or
// closed now, its weekly rules ("mon-fri 08:00-17:30") and its holidays
// ("12-25" every year, "2026-12-31" once), each added or deleted.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, put} from '../ui.js';
import {tlink, go} from '../app.js';

export async function render(ctx) {
	const name = ctx.params.name;
	const base = api.tpath(ctx.tenant, 'timeconds', name);
	const state = h('p'), rules = h('div'), hols = h('div');

	function show(tc) {
		clear(state, h('span', {class: 'tag', 'data-open': String(tc.open_now)},
			tc.open_now ? 'open now' : 'closed now'),
		` — open: ${tc.open_type} ${tc.open_dest}; closed: ${tc.closed_type} ${tc.closed_dest}`);
		clear(rules, table([
			{label: 'Open on', value: (r) => h('code', {}, r.rule)},
			{label: '', cls: 'actions', value: (r) => button('Delete', () => del(`rules/${r.id}`, r.rule), 'danger small')},
		], tc.rules.map((r) => ({...r, _data: {rule: r.id}})), {name: 'rules', empty: 'No hours: always closed.'}));
		clear(hols, table([
			{label: 'Date', value: (x) => x.date},
			{label: 'Name', value: (x) => x.name},
			{label: '', cls: 'actions', value: (x) => button('Delete', () => del(`holidays/${x.date}`, x.date), 'danger small')},
		], tc.holidays.map((x) => ({...x, _data: {holiday: x.date}})), {name: 'holidays', empty: 'No holidays.'}));
	}

	async function del(what, label) {
		if (!await confirmBox(`Delete ${label}?`))
			return;
		try {
			await api.del(`${base}/${what}`);
			show(await api.get(base));
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	const addRule = form({
		name: 'rule-add', cls: 'inline',
		fields: [{name: 'rule', label: 'Open on', placeholder: 'mon-fri 08:00-17:30',
			hint: 'days (mon..sun, ranges, commas) and an optional time range'}],
		submit: 'Add hours',
		async onSubmit(v, f) {
			show(await api.post(`${base}/rules`, v));
			f.reset();
		},
	});
	const addHoliday = form({
		name: 'holiday-add', cls: 'inline',
		fields: [{name: 'date', label: 'Date', placeholder: '12-25', hint: 'MM-DD every year, YYYY-MM-DD once'},
			{name: 'name', label: 'Name', optional: true, placeholder: 'Christmas'}],
		submit: 'Add holiday',
		async onSubmit(v, f) {
			show(await api.post(`${base}/holidays`, v));
			f.reset();
		},
	});
	const remove = button('Delete this condition', async () => {
		if (!await confirmBox(`Delete the time condition ${name}?`))
			return;
		try {
			await api.del(base);
			go(tlink('timeconds'));
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}, 'danger');

	show(await api.get(base));
	put(ctx.view, h('h1', {}, `Time condition ${name}`), state,
		section('Weekly hours', rules, addRule.el), section('Holidays', hols, addHoliday.el),
		section(null, remove));
}
