// settings.js - #/t/DOMAIN/settings: the tenant's own settings (its name,
// codecs, main number, emergency numbers, time zone, recording key code), as
// PATCH /api/v1/tenants/{t} takes them; a refused value is said next to
// its field and nothing is changed. The superadmin reaches any tenant's
// through the tenant picker; an admin its own. Below them the tenant's
// voicemail settings (the admin's) and its limits (docs/security.md,
// "Limits"): the superadmin changes those, an admin only reads them (the
// hosting provider sets them).
import * as api from '../api.js';
import {h, form, section, flash, put, fmtCount} from '../ui.js';
import {refreshTenants} from '../app.js';

// The fields in the order the form shows them; the API's names. A new
// setting of the API is one line here.
const FIELDS = [
	{name: 'name', label: 'Company name'},
	{name: 'codecs', label: 'Codecs', placeholder: 'G722,PCMU,PCMA',
		hint: 'G722, PCMU and PCMA, comma-separated, most preferred first'},
	{name: 'main_number', label: 'Main number', placeholder: '+4930123450',
		hint: 'E.164; the caller ID of trunks set to "main"; empty: none'},
	{name: 'emergency', label: 'Emergency numbers', placeholder: '112,911',
		hint: 'comma-separated, no blanks; never blocked by a class of service'},
	{name: 'timezone', label: 'Time zone', placeholder: 'Europe/Berlin', list: 'tz-names',
		hint: 'time conditions go by its clock'},
	{name: 'record_code', label: 'Recording key code', placeholder: '*1',
		hint: 'pressed during a call recorded on demand, starts and pauses the recording; 2 to 4 of 0-9 * #'},
];

// The limits, as the API names them in "limits"; `say` puts a value in
// words for the read-only list.
const LIMITS = [
	{name: 'max_calls', label: 'Calls at once', unit: 'calls', max: 100000,
		hint: '0 = no limit; past it a new call gets 503',
		say: (n) => `${fmtCount(n)} at once`},
	{name: 'max_extensions', label: 'Extensions', unit: 'extensions', max: 1000000,
		hint: '0 = no limit; past it adding one is refused',
		say: (n) => `${fmtCount(n)} at most`},
	{name: 'max_call_secs', label: 'Longest call', unit: 'seconds', max: 604800,
		hint: '0 = no limit, else 10 to 604800; 14400 = 4 h. The PBX hangs up longer calls',
		say: (n) => `${seconds(n)}`},
];

// The tenant's voicemail settings, as the API names them in "voicemail"
// (ondoctl vm settings): the tenant admin's to change.
const VOICEMAIL = [
	{name: 'max_message_s', label: 'Longest message', type: 'number', min: 10, max: 3600,
		unit: 'seconds', hint: '10 to 3600; the recording stops there'},
	{name: 'silence_s', label: 'Silence that ends a message', type: 'number', min: 0, max: 60,
		unit: 'seconds', hint: '0 = never; else 1 to 60'},
	{name: 'own_phone_pin', label: 'PIN from the owner\'s own phone', type: 'select',
		options: [['ask', 'asked'], ['skip', 'not asked']]},
];

// The voicemail settings form; changed(tenant) gets the PATCH's answer.
function voicemailSection(ctx, path, tenant, changed) {
	const f = form({
		name: 'tenant-voicemail',
		fields: VOICEMAIL.map((x) => ({...x, value: tenant.voicemail[x.name],
			inputmode: x.type === 'number' ? 'numeric' : undefined})),
		submit: 'Save voicemail settings',
		async onSubmit(v) {
			const change = Object.fromEntries(Object.entries(v)
				.filter(([k, val]) => val !== tenant.voicemail[k]));
			if (!Object.keys(change).length) {
				flash(ctx.view, 'Nothing to save: no setting was changed.');
				return;
			}
			try {
				tenant = await api.patch(path, {voicemail: change});
			} catch (err) {
				if (err.field)
					err.field = err.field.replace(/^voicemail\./, '');
				throw err;
			}
			for (const x of VOICEMAIL)
				f.input(x.name).value = tenant.voicemail[x.name];
			changed(tenant);
			const label = (k) => VOICEMAIL.find((x) => x.name === k).label.toLowerCase();
			flash(ctx.view, `Saved: ${Object.keys(change).map(label).join(', ')}.`);
		},
	});
	return section('Voicemail', h('p', {class: 'muted'},
		'For every mailbox of the tenant, from the next call on.'), f.el);
}

// 14400 -> "4 h", 90 -> "90 s", 5400 -> "90 min"
function seconds(n) {
	if (n % 3600 === 0)
		return `${n / 3600} h`;
	return n % 60 === 0 ? `${n / 60} min` : `${n} s`;
}

// The tenant's limits: a form for the superadmin, a list for anyone
// else. changed(tenant) is called with the tenant the PATCH gave back.
function limitsSection(ctx, path, tenant, changed) {
	const lim = tenant.limits;
	if (ctx.user.role !== 'superadmin')
		return section('Limits',
			h('dl', {class: 'facts', dataset: {limits: ''}}, LIMITS.flatMap((x) => [
				h('dt', {}, x.label),
				h('dd', {dataset: {limit: x.name}}, lim[x.name] ? x.say(lim[x.name]) : 'no limit')])),
			h('p', {class: 'muted', dataset: {limitsNote: ''}},
				'Your hosting provider sets these limits; ask them to change one.'));

	const f = form({
		name: 'tenant-limits',
		fields: LIMITS.map((x) => ({name: x.name, label: x.label, type: 'number', min: 0,
			max: x.max, unit: x.unit, hint: x.hint, inputmode: 'numeric', value: lim[x.name]})),
		submit: 'Save limits',
		async onSubmit(v) {
			const change = Object.fromEntries(Object.entries(v)
				.filter(([k, val]) => val !== tenant.limits[k]));
			if (!Object.keys(change).length) {
				flash(ctx.view, 'Nothing to save: no limit was changed.');
				return;
			}
			try {
				tenant = await api.patch(path, {limits: change});
			} catch (err) {
				// "limits.max_calls" is the field named max_calls here.
				if (err.field)
					err.field = err.field.replace(/^limits\./, '');
				throw err;
			}
			for (const x of LIMITS)
				f.input(x.name).value = tenant.limits[x.name];
			changed(tenant);
			const label = (k) => LIMITS.find((x) => x.name === k).label.toLowerCase();
			flash(ctx.view, `Saved: ${Object.keys(change).map(label).join(', ')}.`);
		},
	});
	return section('Limits', h('p', {class: 'muted'},
		'What this tenant may use at most; they apply from the next call on, ' +
		'to calls of every phone and trunk.'), f.el);
}

// The zones the browser knows, offered while typing (the PBX checks
// against its own list).
function zoneList() {
	const zones = typeof Intl.supportedValuesOf === 'function'
		? Intl.supportedValuesOf('timeZone') : [];
	return h('datalist', {id: 'tz-names'}, ['UTC', ...zones].map((z) => h('option', {value: z})));
}

export async function render(ctx) {
	const path = api.tpath(ctx.tenant);
	let tenant = await api.get(path);
	const title = h('h1');
	const showTitle = () => { title.textContent = `Settings of ${tenant.name} (${tenant.domain})`; };

	const f = form({
		name: 'tenant-settings',
		fields: FIELDS.map((x) => ({...x, value: tenant[x.name] ?? ''})),
		submit: 'Save settings',
		async onSubmit(v) {
			// Only what changed: a field left as it was is not sent.
			const change = Object.fromEntries(Object.entries(v)
				.filter(([k, val]) => val !== (tenant[k] ?? '')));
			if (!Object.keys(change).length) {
				flash(ctx.view, 'Nothing to save: no setting was changed.');
				return;
			}
			tenant = await api.patch(path, change);
			for (const x of FIELDS)
				f.input(x.name).value = tenant[x.name] ?? '';
			showTitle();
			const label = (k) => FIELDS.find((x) => x.name === k).label.toLowerCase();
			flash(ctx.view, `Saved: ${Object.keys(change).map(label).join(', ')}.`);
			if (change.name && ctx.user.role === 'superadmin')
				await refreshTenants();
		},
	});

	showTitle();
	put(ctx.view, title, zoneList(),
		section(null, h('p', {class: 'muted'}, 'The PBX uses these from the next call on.'), f.el),
		// An older daemon gives no voicemail or limits: nothing to show.
		tenant.voicemail ? voicemailSection(ctx, path, tenant, (t) => { tenant = t; }) : null,
		tenant.limits ? limitsSection(ctx, path, tenant, (t) => { tenant = t; }) : null);
}
