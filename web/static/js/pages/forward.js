// forward.js - the part of an extension's page about its call forwarding
// and do-not-disturb (docs/forwarding.md): for each case a target (an
// extension, a dialplan number or a mailbox), the time a no-answer
// forward waits, and DND. The admin and the extension's own user both
// change them; a refused target is said next to its field.
import * as api from '../api.js';
import {form, flash} from '../ui.js';

export const KINDS = [
	['always', 'Forward all calls'],
	['busy', 'When busy or on do-not-disturb'],
	['noanswer', 'When not answered'],
	['unregistered', 'When no phone is registered'],
];
const TYPES = [['', 'Off'], ['extension', 'Extension'], ['number', 'Number'],
	['voicemail', 'Mailbox']];

// "busy → extension 1003, DND on" for the page's header; '' if nothing.
export function forwardSummary(ext) {
	const parts = [];
	for (const [k, label] of KINDS) {
		const t = ext.forward && ext.forward[k];
		if (!t)
			continue;
		const to = t.type === 'voicemail' ? `mailbox ${t.dest}` : `${t.type} ${t.dest}`;
		parts.push(`${label.toLowerCase()}: ${to}${t.after ? ` after ${t.after} s` : ''}`);
	}
	if (ext.dnd)
		parts.unshift('do-not-disturb on');
	return parts.length ? `Forwarding: ${parts.join('; ')}.` : 'No forwarding.';
}

// The API names a field "forward.busy.dest"; the form's is "busy_dest".
function fieldOf(apiField) {
	const m = /^forward\.([a-z]+)(?:\.([a-z]+))?$/.exec(apiField || '');
	if (!m)
		return apiField;
	return `${m[1]}_${m[2] === 'after' ? 'after' : m[2] === 'type' ? 'type' : 'dest'}`;
}

// The form; changed(ext) is told the extension as the daemon returns it.
export function forwardSettings(ctx, path, ext, changed) {
	const fields = [{name: 'dnd', label: 'Do not disturb', type: 'checkbox', value: ext.dnd, wide: true,
		hint: 'Phones do not ring; callers get the busy forward, else the mailbox, else busy'}];
	for (const [k, label] of KINDS) {
		const t = (ext.forward && ext.forward[k]) || null;
		fields.push({name: `${k}_type`, label, type: 'select', options: TYPES,
			value: t ? t.type : ''});
		fields.push({name: `${k}_dest`, label: `${label}: to`, value: t ? t.dest : '',
			placeholder: k === 'always' ? 'an extension or number, e.g. 1003' : '', inputmode: 'tel'});
	}
	const na = ext.forward && ext.forward.noanswer;
	fields.push({name: 'noanswer_after', label: 'When not answered: ring this long first (s)',
		type: 'number', value: na && na.after ? na.after : '', min: 5, max: 600, optional: true, wide: true,
		hint: 'Empty: the extension\'s ring timeout. A mailbox with no target is this extension\'s own.'});
	const f = form({
		name: 'forward',
		cls: 'forward',
		fields,
		submit: 'Save forwarding',
		async onSubmit(v) {
			const body = {dnd: v.dnd, forward: {}};
			for (const [k] of KINDS) {
				const type = v[`${k}_type`];
				if (!type) {
					body.forward[k] = null;
					continue;
				}
				const t = {type};
				if (v[`${k}_dest`] || type !== 'voicemail')
					t.dest = v[`${k}_dest`];
				if (k === 'noanswer')
					t.after = v.noanswer_after || 0;
				body.forward[k] = t;
			}
			let e;
			try {
				e = await api.patch(path, body);
			} catch (err) {
				err.field = fieldOf(err.field);
				throw err;
			}
			// What was stored, as stored (a target left in an
			// "Off" row is dropped; a mailbox's own number filled in).
			for (const [k] of KINDS) {
				const t = e.forward[k];
				f.input(`${k}_type`).value = t ? t.type : '';
				f.input(`${k}_dest`).value = t ? t.dest : '';
			}
			flash(ctx.view, 'Forwarding saved.');
			await changed(e);
		},
	});
	return f.el;
}
