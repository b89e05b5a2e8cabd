// settings.js - #/t/DOMAIN/settings: the tenant's own settings (its name,
// codecs, main number, emergency numbers, time zone), as
// PATCH /api/v1/tenants/{t} takes them; a refused value is said next to
// its field and nothing is changed. The superadmin reaches any tenant's
// through the tenant picker; an admin its own.
import * as api from '../api.js';
import {h, form, section, flash, put} from '../ui.js';
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
];

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
		section(null, h('p', {class: 'muted'}, 'The PBX uses these from the next call on.'), f.el));
}
