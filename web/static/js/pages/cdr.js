// cdr.js - #/t/DOMAIN/cdr: the tenant's call records, newest first,
// filtered by extension and outcome on the server, a page at a time
// ("Older" asks for the records before the last one shown); the records
// shown can be saved as a CSV file.
import * as api from '../api.js';
import {h, form, table, section, button, clear, flash, fmtTime, fmtDuration, safe} from '../ui.js';

const OUTCOMES = [['', 'any'], 'ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CANCELLED'];

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'cdr');
	const list = h('div');
	const more = h('div', {class: 'pager'});
	let filters = {extension: ctx.query.extension || '', disposition: ctx.query.disposition || '',
		limit: Number(ctx.query.limit) || 100};
	let rows = [];

	async function load(older = false) {
		const params = {...filters};
		if (older && rows.length)
			params.before = rows[rows.length - 1].start_us;
		const r = await api.get(base, params);
		let page = r.cdr;
		let paged = true;
		if (older && page.length && page[0].start_us >= params.before) {
			paged = false; // this server ignores `before`: nothing older to add
			page = [];
		}
		rows = older ? rows.concat(page) : page;
		ctx.setQuery({extension: filters.extension, disposition: filters.disposition,
			limit: filters.limit === 100 ? '' : filters.limit});
		show(paged && page.length === filters.limit);
		if (!paged)
			flash(ctx.view, 'This server cannot page call records yet: narrow the filters instead.', 'error');
	}

	function show(hasMore) {
		clear(list).append(table([
			{label: 'Start', value: (c) => fmtTime(c.start_us / 1e6)},
			{label: 'From', value: (c) => c.caller},
			{label: 'To', value: (c) => c.callee},
			{label: 'Outcome', value: (c) => h('span', {class: `tag ${c.disposition.replace(/\s/g, '')}`}, c.disposition)},
			{label: 'Talk time', cls: 'num', value: (c) => c.answer_us ? fmtDuration(c.duration) : '—'},
			{label: 'SIP', cls: 'num', value: (c) => String(c.sip_status || '')},
		], rows.map((c) => ({...c, _data: {callId: c.call_id}})),
		{name: 'cdr', empty: 'No call records match.'}));
		clear(more).append(
			h('span', {class: 'muted', dataset: {count: rows.length}}, `${rows.length} records shown`),
			hasMore ? button('Older →', safe(ctx.view, () => load(true)), 'secondary small') : null,
			rows.length ? button('Export CSV', exportCsv, 'secondary small') : null);
	}

	function exportCsv() {
		const cols = ['start', 'answer', 'end', 'caller', 'callee', 'disposition', 'duration', 'sip_status', 'call_id'];
		const iso = (us) => (us ? new Date(us / 1000).toISOString() : '');
		const q = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
		const lines = [cols.join(',')].concat(rows.map((c) => [iso(c.start_us), iso(c.answer_us),
			iso(c.end_us), c.caller, c.callee, c.disposition, c.duration, c.sip_status, c.call_id]
			.map(q).join(',')));
		const url = URL.createObjectURL(new Blob([lines.join('\r\n') + '\r\n'], {type: 'text/csv'}));
		const a = h('a', {href: url, download: `cdr-${ctx.tenant}-${new Date().toISOString().slice(0, 10)}.csv`});
		document.body.append(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(url), 1000);
	}

	const f = form({
		name: 'cdr-filter',
		cls: 'inline',
		fields: [
			{name: 'extension', label: 'Extension', value: filters.extension, inputmode: 'numeric',
				placeholder: 'any', hint: 'Calls from or to it'},
			{name: 'disposition', label: 'Outcome', type: 'select', options: OUTCOMES, value: filters.disposition},
			{name: 'limit', label: 'Per page', type: 'select', options: ['50', '100', '500', '1000'],
				value: String(filters.limit)},
		],
		submit: 'Show',
		async onSubmit(v) {
			filters = {...v, limit: Number(v.limit)};
			await load();
		},
	});

	ctx.view.append(h('h1', {}, 'Call records'), section(null, f.el), section(null, list, more));
	await load();
}
