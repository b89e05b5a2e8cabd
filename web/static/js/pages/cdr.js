// cdr.js - #/t/DOMAIN/cdr: the tenant's call records, newest first. The
// daemon filters (dates, extension, outcome) and pages them with a cursor
// (the last row's start and id), so a million records are as quick as a
// hundred. "Export CSV" downloads the records the filters match (up to
// 10,000) as the daemon writes them.
import * as api from '../api.js';
import {h, form, table, section, button, clear, fmtTime, fmtDuration, safe, put} from '../ui.js';

const OUTCOMES = [['', 'any'], 'ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CANCELLED', 'INTERRUPTED'];
const EXPORT_MAX = 10000;

// 'YYYY-MM-DD' (a date input, local time) -> seconds since the epoch at
// the start of that day, or of the day after (`end`).
function daySeconds(s, end = false) {
	if (!s)
		return '';
	const [y, m, d] = s.split('-').map(Number);
	return Math.floor(new Date(y, m - 1, d + (end ? 1 : 0)).getTime() / 1000);
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'cdr');
	const list = h('div');
	const more = h('div', {class: 'pager'});
	const q = ctx.query;
	let filters = {from: q.from || '', to: q.to || '', extension: q.extension || '',
		disposition: q.disposition || '', limit: Number(q.limit) || 100};
	let rows = [];

	// The filters as the API takes them.
	const params = () => ({from: daySeconds(filters.from), to: daySeconds(filters.to, true),
		extension: filters.extension, disposition: filters.disposition});

	async function load(older = false) {
		const p = {...params(), limit: filters.limit};
		if (older && rows.length) {
			const last = rows[rows.length - 1];
			p.before_start_us = last.start_us;
			p.before_id = last.id;
		}
		const page = (await api.get(base, p)).cdr;
		rows = older ? rows.concat(page) : page;
		ctx.setQuery({...filters, limit: filters.limit === 100 ? '' : filters.limit});
		show(page.length === filters.limit);
	}

	// A player per recording of the call (one per bridge: a transferred
	// call has two), numbered when there are several. A daemon from before
	// the list gave only `recording`.
	function recordings(c) {
		const recs = c.recordings && c.recordings.length ? c.recordings
			: c.recording ? [{n: 0}] : [];
		return h('div', {class: 'recordings'}, ...recs.map((r) => h('div', {class: 'recording'},
			recs.length > 1 ? h('span', {class: 'muted'}, `${r.n} `) : null,
			h('audio', {controls: true, preload: 'none', dataset: {n: r.n},
				src: r.n ? api.tpath(ctx.tenant, 'cdr', c.id, 'recordings', r.n)
					: api.tpath(ctx.tenant, 'cdr', c.id, 'recording')}))));
	}

	function show(hasMore) {
		clear(list, table([
			{label: 'Start', value: (c) => fmtTime(c.start_us / 1e6)},
			{label: 'From', value: (c) => c.caller},
			{label: 'To', value: (c) => c.callee},
			{label: 'Outcome', value: (c) => h('span', {class: `tag ${c.disposition.replace(/\s/g, '')}`}, c.disposition)},
			{label: 'Talk time', cls: 'num', value: (c) => c.answer_us ? fmtDuration(c.duration) : '—'},
			{label: 'SIP', cls: 'num', value: (c) => String(c.sip_status || '')},
			{label: 'Recordings', value: recordings},
		], rows.map((c) => ({...c, _data: {callId: c.call_id}})),
		{name: 'cdr', empty: 'No call records match.'}));
		clear(more, 
			h('span', {class: 'muted', dataset: {count: rows.length}}, `${rows.length} records shown`),
			hasMore ? button('Older →', safe(ctx.view, () => load(true)), 'secondary small') : null,
			rows.length ? h('a', {class: 'btn secondary small', download: `cdr-${ctx.tenant}.csv`,
				href: base + api.query({...params(), limit: EXPORT_MAX, format: 'csv'})},
			'Export CSV') : null);
	}

	const f = form({
		name: 'cdr-filter',
		cls: 'inline',
		fields: [
			{name: 'from', label: 'From', type: 'date', value: filters.from},
			{name: 'to', label: 'To', type: 'date', value: filters.to},
			{name: 'extension', label: 'Extension', value: filters.extension, inputmode: 'numeric',
				placeholder: 'any', hint: 'Calls from or to it'},
			{name: 'disposition', label: 'Outcome', type: 'select', options: OUTCOMES, value: filters.disposition},
			{name: 'limit', label: 'Per page', type: 'select', options: ['50', '100', '500', '1000'],
				value: String(filters.limit)},
		],
		submit: 'Show',
		async onSubmit(v) {
			if (v.from && v.to && v.to < v.from)
				throw new api.ApiError(422, 'the end is before the start', 'to');
			filters = {...v, limit: Number(v.limit)};
			await load();
		},
	});

	put(ctx.view, h('h1', {}, 'Call records'), section(null, f.el), section(null, list, more));
	await load();
}
