// extensions.js - #/t/DOMAIN/extensions: search and page through the
// tenant's extensions (the server filters and pages, so 10,000 are as
// quick as 10), add one, delete one, import many from a CSV file.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, fmtCount,
	randomPassword, safe, put} from '../ui.js';
import {tlink} from '../app.js';

const PAGE = 50;

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'extensions');
	let q = ctx.query.q || '';
	let offset = Math.max(0, parseInt(ctx.query.offset, 10) || 0);
	const list = h('div');
	const pager = h('div', {class: 'pager'});
	const search = h('input', {type: 'search', class: 'grow', name: 'q', value: q,
		placeholder: 'Search number or name', 'aria-label': 'Search extensions'});
	let seq = 0;

	async function load() {
		const mine = ++seq; // answers to older searches are dropped
		const r = await api.get(base, {q, offset, limit: PAGE});
		if (mine !== seq)
			return;
		ctx.setQuery({q, offset: offset || ''});
		clear(list, table([
			{label: 'Number', value: (e) => h('a', {href: tlink('extensions', e.number)}, e.number)},
			{label: 'Name', value: (e) => e.name},
			{label: 'Ring timeout', cls: 'num', value: (e) => `${e.ring_timeout} s`},
			{label: '', cls: 'actions', value: (e) => [
				h('a', {class: 'btn secondary small', href: tlink('extensions', e.number)}, 'Open'), ' ',
				button('Delete', () => remove(e.number), 'danger small')]},
		], r.extensions.map((e) => ({...e, _data: {ext: e.number}})),
		{name: 'extensions', empty: q ? `No extension matches “${q}”.` : 'No extensions yet.'}));
		const last = Math.min(offset + r.extensions.length, r.total);
		clear(pager, 
			button('← Previous', safe(ctx.view, () => { offset = Math.max(0, offset - PAGE); return load(); }), 'secondary small'),
			h('span', {class: 'muted', dataset: {total: r.total}},
				r.total ? `${fmtCount(offset + 1)}–${fmtCount(last)} of ${fmtCount(r.total)}` : '0 of 0'),
			button('Next →', safe(ctx.view, () => { offset += PAGE; return load(); }), 'secondary small'));
		pager.firstChild.disabled = offset === 0;
		pager.lastChild.disabled = last >= r.total;
	}

	async function remove(number) {
		if (!await confirmBox(`Delete extension ${number}, its voicemail and its phones' registrations?`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'extensions', number));
			flash(ctx.view, `Extension ${number} deleted.`);
			await load();
		} catch (err) {
			flash(ctx.view, err.message, 'error');
		}
	}

	let timer = null;
	search.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(safe(ctx.view, () => { q = search.value.trim(); offset = 0; return load(); }), 250);
	});
	ctx.onLeave(() => clearTimeout(timer));

	const add = form({
		name: 'ext-add',
		cls: 'inline',
		fields: [
			{name: 'number', label: 'Number', inputmode: 'numeric', placeholder: '1001'},
			{name: 'name', label: 'Name', optional: true, placeholder: 'Alice Example'},
			{name: 'password', label: 'SIP password', type: 'text', value: randomPassword(),
				hint: 'Shown only now: give it to the phone'},
			{name: 'ring_timeout', label: 'Ring timeout (s)', type: 'number', optional: true,
				placeholder: '30'},
		],
		submit: 'Add extension',
		async onSubmit(v, f) {
			const e = await api.post(base, v);
			f.reset();
			f.input('password').value = randomPassword();
			flash(ctx.view, `Extension ${e.number} added.`);
			await load();
		},
	});

	put(ctx.view, h('h1', {}, 'Extensions'),
		section(null, h('div', {class: 'toolbar'}, search), list, pager),
		section('Add an extension', add.el),
		section('Import from CSV', importer(ctx, base, load)));
	await load();
}

// ---- bulk import ----

// Rows of a CSV text (RFC 4180: quotes, doubled quotes, CRLF). The
// separator is ';' when the first line has one and no ',' (spreadsheets
// in many languages save so), else ','.
export function parseCsv(text) {
	const line1 = text.split(/\r?\n/, 1)[0];
	const sep = line1.includes(';') && !line1.includes(',') ? ';' : ',';
	const rows = [];
	let row = [], cell = '', quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') {
			quoted = true;
		} else if (c === sep) {
			row.push(cell); cell = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n')
				i++;
			row.push(cell); rows.push(row); row = []; cell = '';
		} else {
			cell += c;
		}
	}
	if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

const COLUMNS = ['number', 'password', 'name', 'ring_timeout'];

// [{line, body}] from CSV rows: a first row naming the columns sets their
// order, else they are number,password,name,ring_timeout.
function extRows(rows) {
	let cols = COLUMNS, start = 0;
	const first = (rows[0] || []).map((c) => c.trim().toLowerCase());
	if (first.includes('number')) {
		cols = first;
		start = 1;
	}
	const out = [];
	for (let i = start; i < rows.length; i++) {
		if (rows[i].every((c) => c.trim() === ''))
			continue;
		const body = {};
		cols.forEach((k, j) => {
			const v = (rows[i][j] ?? '').trim();
			if (!COLUMNS.includes(k) || v === '')
				return;
			body[k] = k === 'ring_timeout' && /^\d+$/.test(v) ? Number(v) : v;
		});
		out.push({line: i + 1, body});
	}
	return out;
}

function importer(ctx, base, reload) {
	const progress = h('progress', {max: 1, value: 0, hidden: true});
	const status = h('p', {class: 'muted', role: 'status'});
	const errors = h('ol', {class: 'import-log', hidden: true, dataset: {importErrors: ''}});
	const f = form({
		name: 'ext-import',
		cls: 'inline',
		fields: [{name: 'file', label: 'CSV file', type: 'file', accept: '.csv,text/csv,text/plain',
			hint: 'Columns: number, password, name, ring_timeout (a first row with these names may set the order)',
			wide: true}],
		submit: 'Import',
		async onSubmit(v) {
			if (!v.file)
				throw new api.ApiError(422, 'choose a CSV file', 'file');
			const rows = extRows(parseCsv(await v.file.text()));
			if (!rows.length)
				throw new api.ApiError(422, 'the file has no rows', 'file');
			clear(errors).hidden = true;
			progress.hidden = false;
			progress.max = rows.length;
			progress.value = 0;
			let done = 0, ok = 0, next = 0;
			const failed = [];
			// A few requests at a time: quick, without flooding the server.
			async function worker() {
				while (next < rows.length) {
					const r = rows[next++];
					try {
						await api.post(base, r.body);
						ok++;
					} catch (err) {
						if (err.status === 401)
							throw err;
						failed.push({...r, err});
					}
					progress.value = ++done;
					status.textContent = `${done} of ${rows.length} rows…`;
				}
			}
			await Promise.all([worker(), worker(), worker(), worker()]);
			failed.sort((a, b) => a.line - b.line);
			errors.append(...failed.map((x) => h('li', {},
				`line ${x.line}${x.body.number ? ` (${x.body.number})` : ''}: ${x.err.message}`)));
			errors.hidden = !failed.length;
			status.textContent = `Imported ${ok} of ${rows.length} extensions` +
				(failed.length ? `; ${failed.length} rows were refused (below).` : '.');
			await reload();
		},
	});
	return h('div', {}, f.el, progress, status, errors);
}
