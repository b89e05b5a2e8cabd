// ui.js - building the page without a framework: elements, forms that put
// each error next to its field, tables that stack on a phone, a confirm
// dialog, formatting of times and durations.

// h('a', {href: '#/x', class: 'btn', on: {click: fn}}, 'text', child...)
// Attributes that are null, undefined or false are left out; children
// may be strings, nodes, arrays, or null (skipped).
export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === 'on')
			for (const [ev, fn] of Object.entries(v))
				el.addEventListener(ev, fn);
		else if (k === 'class')
			el.className = v;
		else if (k === 'text')
			el.textContent = v;
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else if (k in el && typeof v !== 'string')
			el[k] = v; // value, checked, disabled as properties
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	append(el, children);
	return el;
}

// Appends children to el as h() takes them (null skipped, arrays flat).
export function put(el, ...children) {
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false)
			continue;
		if (Array.isArray(c))
			append(el, c);
		else
			el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

// Empties el and puts children in (as h() takes them: null skipped).
export function clear(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

// ---- formatting ----

const two = (n) => String(n).padStart(2, '0');

// Local date and time of a Unix time in seconds: "2025-11-24 14:03:09".
export function fmtTime(sec) {
	if (!sec)
		return '';
	const d = new Date(sec * 1000);
	return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
		`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// "0:07", "12:30", "1:02:03"
export function fmtDuration(sec) {
	sec = Math.max(0, Math.round(sec || 0));
	const hh = Math.floor(sec / 3600), mm = Math.floor(sec / 60) % 60;
	return (hh ? `${hh}:${two(mm)}` : `${mm}`) + `:${two(sec % 60)}`;
}

export function fmtCount(n) {
	return Number(n).toLocaleString('en');
}

// ---- status line ----

// A message at the top of `where` (role=status so screen readers say it);
// kind: 'ok' or 'error'. Replaces the previous one.
export function flash(where, message, kind = 'ok') {
	let el = where.querySelector(':scope > .flash');
	if (!el) {
		el = h('p', {class: 'flash', role: 'status'});
		where.prepend(el);
	}
	el.className = `flash ${kind}`;
	el.textContent = message;
	return el;
}

// ---- confirm ----

// A modal question; resolves true if the user chose `ok`.
export function confirmBox(text, ok = 'Delete') {
	const dlg = document.getElementById('confirm');
	document.getElementById('confirm-text').textContent = text;
	document.getElementById('confirm-ok').textContent = ok;
	dlg.returnValue = '';
	dlg.showModal();
	return new Promise((resolve) => {
		dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'),
			{once: true});
	});
}

// ---- forms ----

let formSeq = 0;

// A form whose fields each have a label, an input and a place for the
// error about them. spec:
//   fields: [{name, label, type, value, options, hint, placeholder,
//             required, autocomplete, inputmode, list, min, max,
//             unit, optional (omit when empty), wide}]
//     unit: a word after the input ('calls', 'seconds')
//     type: text (default), password, number, select, checkbox, file,
//           textarea; number values are sent as integers
//   submit: the button's label; onSubmit(values, form): async, throws
//           ApiError (or any Error) to show what is wrong
//   cls: extra class ('inline' puts fields side by side)
// Returns {el, input(name), values(), fail(err), clearErrors(), reset()}.
export function form(spec) {
	const id = `f${++formSeq}`;
	const inputs = new Map();
	const errors = new Map();
	const formError = h('p', {class: 'form-error', role: 'alert', hidden: true});
	const button = h('button', {type: 'submit'}, spec.submit || 'Save');
	const el = h('form', {class: `form ${spec.cls || ''}`, novalidate: true,
		dataset: {form: spec.name || ''}});

	for (const f of spec.fields) {
		const fid = `${id}-${f.name}`;
		const input = control(f, fid);
		const err = h('p', {class: 'field-error', id: `${fid}-err`,
			dataset: {errorFor: f.name}, hidden: true});
		input.setAttribute('aria-describedby', `${fid}-err` +
			(f.hint ? ` ${fid}-hint` : ''));
		inputs.set(f.name, input);
		errors.set(f.name, err);
		const hint = f.hint ? h('small', {class: 'hint', id: `${fid}-hint`}, f.hint) : null;
		const box = f.unit ? h('span', {class: 'with-unit'}, input,
			h('span', {class: 'unit'}, f.unit)) : input;
		el.append(f.type === 'checkbox'
			? h('div', {class: `field check ${f.wide ? 'wide' : ''}`},
				h('label', {for: fid}, input, ' ', f.label), hint, err)
			: h('div', {class: `field ${f.wide ? 'wide' : ''}`},
				h('label', {for: fid}, f.label), box, hint, err));
	}
	el.append(h('div', {class: 'field actions'}, button, spec.extra || null), formError);

	const api = {
		el,
		input: (name) => inputs.get(name),
		values() {
			const out = {};
			for (const f of spec.fields) {
				const i = inputs.get(f.name);
				if (f.type === 'checkbox')
					out[f.name] = i.checked;
				else if (f.type === 'file')
					out[f.name] = i.files[0] || null;
				else if (f.type === 'number')
					out[f.name] = i.value.trim() === '' ? undefined : Number(i.value);
				else
					out[f.name] = f.type === 'password' ? i.value : i.value.trim();
				if (f.optional && (out[f.name] === '' || out[f.name] === undefined))
					delete out[f.name];
			}
			return out;
		},
		clearErrors() {
			formError.hidden = true;
			for (const [name, e] of errors) {
				e.hidden = true;
				e.textContent = '';
				inputs.get(name).removeAttribute('aria-invalid');
			}
		},
		// Shows err next to its field if the form has that field, else
		// under the form.
		fail(err) {
			const e = err && err.field && errors.get(err.field);
			if (e) {
				e.textContent = err.message;
				e.hidden = false;
				const i = inputs.get(err.field);
				i.setAttribute('aria-invalid', 'true');
				i.focus();
			} else {
				formError.textContent = String(err.message || err);
				formError.hidden = false;
			}
		},
		reset() {
			el.reset();
			api.clearErrors();
		},
	};
	el.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		api.clearErrors();
		button.disabled = true;
		try {
			await spec.onSubmit(api.values(), api);
		} catch (err) {
			api.fail(err);
		} finally {
			button.disabled = false;
		}
	});
	return api;
}

function control(f, fid) {
	const common = {id: fid, name: f.name, required: !!f.required,
		autocomplete: f.autocomplete || 'off', placeholder: f.placeholder,
		inputmode: f.inputmode, list: f.list};
	switch (f.type) {
	case 'select': {
		const s = h('select', common);
		for (const o of f.options) {
			const [v, label] = Array.isArray(o) ? o : [o, o];
			s.append(h('option', {value: v}, label));
		}
		s.value = f.value ?? s.value;
		return s;
	}
	case 'checkbox':
		return h('input', {...common, type: 'checkbox', checked: !!f.value});
	case 'textarea':
		return h('textarea', {...common, rows: f.rows || 4}, f.value ?? '');
	case 'file':
		return h('input', {...common, type: 'file', accept: f.accept});
	default:
		return h('input', {...common, type: f.type || 'text',
			value: f.value ?? '', min: f.min, max: f.max});
	}
}

// ---- tables ----

// columns: [{label, value: (row) => string | Node, cls}]. Each cell
// carries its column's label so that on a narrow screen the rows stack
// as "label: value" cards (css: table.data).
export function table(columns, rows, {empty = 'Nothing here yet.', name} = {}) {
	if (!rows.length)
		return h('p', {class: 'empty', dataset: {table: name || ''}}, empty);
	return h('div', {class: 'table-wrap'},
		h('table', {class: 'data', dataset: {table: name || ''}},
			h('thead', {}, h('tr', {}, columns.map((c) =>
				h('th', {class: c.cls, scope: 'col'}, c.label)))),
			h('tbody', {}, rows.map((r) => h('tr', {dataset: r._data || {}},
				columns.map((c) => h('td', {class: c.cls, dataset: {label: c.label}},
					c.value(r))))))));
}

// A section with a heading and its contents.
export function section(title, ...children) {
	return h('section', {class: 'card'}, title ? h('h2', {}, title) : null, children);
}

export function button(label, onClick, cls = '') {
	return h('button', {type: 'button', class: cls, on: {click: onClick}}, label);
}

// A random SIP password: 16 characters without look-alikes.
export function randomPassword(n = 16) {
	const abc = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const b = crypto.getRandomValues(new Uint8Array(n));
	return Array.from(b, (x) => abc[x % abc.length]).join('');
}

// Said when the server lacks an endpoint a page needs (an older daemon).
export function notYet(where, what) {
	flash(where, `This server has no API for ${what} yet.`, 'error');
}

// fn, run from an event: a failure is said at the top of `where` (a 401
// has already brought the log-in page).
export function safe(where, fn) {
	return async (...args) => {
		try {
			await fn(...args);
		} catch (err) {
			if (err.status !== 401)
				flash(where, err.message, 'error');
		}
	};
}
