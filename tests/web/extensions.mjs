// extensions.mjs - steps of test_extensions.sh: a tenant made in the page,
// its extensions added, refused with the reason next to the field,
// searched, paged, imported from CSV, changed and deleted; a web user;
// an extension's calls at once, class of service, own DID and recording,
// and the tenant's maximum of extensions.
import {runSteps, ok, check, fail, login, shot, open, submit, fieldError, confirm, addOption} from './lib.mjs';

const T = 'gamma.test';
const text = async (loc) => (await loc.textContent()).trim();
const rowOf = (page, table, attr, v) => page.locator(`table[data-table="${table}"] tr[data-${attr}="${v}"]`);
const total = async (page) => Number(await page.locator('.pager [data-total]').getAttribute('data-total'));

const steps = {
	async tenant(page) {
		await login(page, 'root', 'root-pass-1');
		await page.locator('.view[data-page="tenants"]').waitFor();
		await submit(page, 'tenant-add', {name: 'Gamma Ltd', domain: 'not a domain'});
		const why = await fieldError(page, 'tenant-add', 'domain');
		check('a bad SIP domain is said next to the domain field', /DNS name/.test(why), why);
		await shot(page, 'tenant-error');
		await submit(page, 'tenant-add', {name: 'Gamma Ltd', domain: T});
		await rowOf(page, 'tenants', 'domain', T).waitFor();
		ok('the new tenant is in the list');
		check('and in the tenant picker',
			(await page.locator(`#tenant-select option[value="${T}"]`).count()) === 1);
		await shot(page, 'tenants');
		const exp = rowOf(page, 'tenants', 'domain', T).getByRole('link', {name: 'Export'});
		const res = await page.request.get(new URL(await exp.getAttribute('href'), page.url()).href);
		const body = await res.body();
		check('the tenant\'s Export link downloads its archive (a tar with its manifest)',
			res.status() === 200 && /x-tar/.test(res.headers()['content-type'] || '') &&
			body.subarray(0, 13).toString() === 'manifest.json',
			`${res.status()} ${res.headers()['content-type']}`);

		await submit(page, 'tenant-add', {name: 'Delta', domain: 'delta.test'});
		await rowOf(page, 'tenants', 'domain', 'delta.test').waitFor();
		await page.locator('#tenant-select').selectOption('delta.test');
		await page.locator('.view[data-page="dashboard"]').waitFor();
		await page.locator('#nav a', {hasText: 'Tenants'}).click();
		await rowOf(page, 'tenants', 'domain', 'delta.test').getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await rowOf(page, 'tenants', 'domain', 'delta.test').waitFor({state: 'detached'});
		ok('a tenant was deleted after the confirmation');
		check('the picker dropped it, and the menu its pages',
			(await page.locator('#tenant-select option[value="delta.test"]').count()) === 0 &&
			(await page.locator('#tenant-select').inputValue()) === '' &&
			!(await page.locator('#nav a').allTextContents()).includes('Extensions'));
	},

	async create(page) {
		await open(page, `t/${T}/extensions`, 'extensions');
		const f = 'ext-add';
		await submit(page, f, {number: 'abc', password: 'long-enough-1'});
		let why = await fieldError(page, f, 'number');
		check(`extension number 'abc' is refused next to the number field ("${why}")`, /digits/.test(why));
		check('the number field is marked invalid',
			(await page.locator(`form[data-form="${f}"] [name="number"]`).getAttribute('aria-invalid')) === 'true');
		await shot(page, 'extension-error');
		await submit(page, f, {number: '2001', password: 'short'});
		why = await fieldError(page, f, 'password');
		check(`a short password is refused next to the password field ("${why}")`, /8 to 127/.test(why));
		check('the number field no longer shows its old error',
			await page.locator(`form[data-form="${f}"] [data-error-for="number"]`).isHidden());
		await submit(page, f, {number: '2001', password: 'long-enough-1', ring_timeout: '1'});
		why = await fieldError(page, f, 'ring_timeout');
		check(`a ring timeout of 1 s is refused next to its field ("${why}")`, /5 to 600/.test(why));
		await submit(page, f, {number: '2001', name: 'Alice', password: 'long-enough-1', ring_timeout: ''});
		await rowOf(page, 'extensions', 'ext', '2001').waitFor();
		ok('extension 2001 was added and is listed');
		check('the form was emptied for the next one',
			(await page.locator(`form[data-form="${f}"] [name="number"]`).inputValue()) === '');
		await submit(page, f, {number: '2001', password: 'long-enough-1'});
		why = await fieldError(page, f, 'number');
		check(`adding 2001 again is refused next to the number ("${why}")`, /exists already/.test(why));
		await shot(page, 'extensions');
	},

	async import(page) {
		await open(page, `t/${T}/extensions`, 'extensions');
		const lines = ['number,name,password,ring_timeout'];
		for (let n = 2100; n < 2220; n++)
			lines.push(`${n},"Import, ${n}",pass-word-${n},20`);
		lines.push('21x0,Bad,pass-word-bad,20'); // line 122
		lines.push('2001,Again,pass-word-again,20'); // line 123
		await page.locator('form[data-form="ext-import"] input[type="file"]').setInputFiles(
			{name: 'ext.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n')});
		await page.locator('form[data-form="ext-import"] button[type="submit"]').click();
		const status = page.locator('p[role="status"]', {hasText: 'Imported'});
		await status.waitFor({timeout: 60000});
		const s = await text(status);
		check(`the CSV import added the 120 good rows of 122 ("${s}")`, /Imported 120 of 122/.test(s));
		const errs = await page.locator('[data-import-errors] li').allTextContents();
		check('the two refused rows are listed with their line numbers and reasons',
			errs.length === 2 && /^line 122 \(21x0\): .*digits/.test(errs[0]) &&
			/^line 123 \(2001\): .*exists already/.test(errs[1]), errs.join(' | '));
		await shot(page, 'import');
		await page.locator('.pager [data-total="121"]').waitFor();
		check('the list pages them: "1–50 of 121"', (await text(page.locator('.pager [data-total]'))) === '1–50 of 121');
		await page.getByRole('button', {name: 'Next →'}).click();
		await page.locator('.pager [data-total]', {hasText: '51–100 of 121'}).waitFor();
		ok('"Next" shows 51–100 of 121');
		check('the page is in the address', /offset=50/.test(page.url()), page.url());
		await page.locator('input[type="search"]').fill('2150');
		await page.locator('.pager [data-total="1"]').waitFor();
		check('searching "2150" finds one extension, 2150',
			(await page.locator('table[data-table="extensions"] tbody tr').count()) === 1 &&
			(await rowOf(page, 'extensions', 'ext', '2150').count()) === 1);
		await page.locator('input[type="search"]').fill('import, 219');
		await page.locator('.pager [data-total="10"]').waitFor();
		ok('searching by name ("import, 219") finds 2190-2199');
	},

	async edit(page) {
		await open(page, `t/${T}/extensions/2001`, 'extension');
		await submit(page, 'ext-edit', {ring_timeout: '999'});
		const why = await fieldError(page, 'ext-edit', 'ring_timeout');
		check(`a ring timeout of 999 s is refused next to its field ("${why}")`, /5 to 600/.test(why));
		await submit(page, 'ext-edit', {name: 'Alice Smith', ring_timeout: '25'});
		await page.locator('h1', {hasText: 'Alice Smith'}).waitFor();
		ok('renaming 2001 shows the new name in the heading');
		await shot(page, 'extension');

		await open(page, `t/${T}/extensions?q=2219`, 'extensions');
		await rowOf(page, 'extensions', 'ext', '2219').getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await page.locator('.flash.ok', {hasText: 'Extension 2219 deleted'}).waitFor();
		await page.locator('.pager [data-total="0"]').waitFor();
		ok('extension 2219 was deleted after the confirmation');
	},

	// An extension's calls at once, and the tenant's extensions at most
	// (set in the settings page) refusing a new one next to its number.
	async limits(page) {
		await open(page, `t/${T}/extensions/2001`, 'extension');
		const f = 'ext-edit';
		await submit(page, f, {max_calls: '100001'});
		let why = await fieldError(page, f, 'max_calls');
		check(`100001 calls at once are refused next to the field ("${why}")`, /100000/.test(why));
		await submit(page, f, {max_calls: '2'});
		await page.locator('.flash.ok', {hasText: 'Saved'}).waitFor();
		await open(page, `t/${T}/extensions/2001`, 'extension');
		const mc = await page.locator(`form[data-form="${f}"] [name="max_calls"]`).inputValue();
		check(`after a reload 2001 may have ${mc} calls at once (2 saved)`, mc === '2');

		await open(page, `t/${T}/settings`, 'settings');
		await submit(page, 'tenant-limits', {max_extensions: '120'});
		await page.locator('.flash.ok', {hasText: 'Saved'}).waitFor();
		await open(page, `t/${T}/extensions`, 'extensions');
		await submit(page, 'ext-add', {number: '2300', password: 'long-enough-1'});
		why = await fieldError(page, 'ext-add', 'number');
		check(`with 120 of 120 extensions a new one is refused next to the number ("${why}")`,
			/maximum of extensions/.test(why));
		await shot(page, 'extensions-full');
	},

	// What an extension may call out, the number it shows and whether
	// its calls are recorded: each refusal next to its field, then
	// saved and shown again after a reload.
	async outbound(page) {
		await open(page, `t/${T}/extensions/2001`, 'extension');
		const f = 'ext-edit';
		const field = (name) => page.locator(`form[data-form="${f}"] [name="${name}"]`);
		check('the settings show the defaults: class national, no DID, never recorded',
			(await field('cos').inputValue()) === 'national' && (await field('did').inputValue()) === '' &&
			(await field('record').inputValue()) === 'never');
		await submit(page, f, {did: '030123450'});
		let why = await fieldError(page, f, 'did');
		check(`an own DID without + is refused next to it ("${why}")`, /E\.164/.test(why));
		await addOption(field('cos'), 'galactic');
		await submit(page, f, {did: '+4930123451', cos: 'galactic'});
		why = await fieldError(page, f, 'cos');
		check(`a class of service the PBX lacks is refused next to it ("${why}")`, /international/.test(why));
		check('  and the DID field has no error left',
			await page.locator(`form[data-form="${f}"] [data-error-for="did"]`).isHidden());
		await addOption(field('record'), 'sometimes');
		await submit(page, f, {cos: 'international', record: 'sometimes'});
		why = await fieldError(page, f, 'record');
		check(`a recording mode the PBX lacks is refused next to it ("${why}")`, /on-demand/.test(why));
		await submit(page, f, {cos: 'international', did: '+4930123451', record: 'on-demand'});
		await page.locator('.flash.ok', {hasText: 'Saved'}).waitFor();
		await open(page, `t/${T}/extensions/2001`, 'extension');
		const got = [await field('cos').inputValue(), await field('did').inputValue(), await field('record').inputValue()];
		check(`after a reload 2001 has class international, DID +4930123451, recorded on demand (${got.join(', ')})`,
			got.join() === 'international,+4930123451,on-demand');
		await shot(page, 'extension-outbound');
	},

	async users(page) {
		await open(page, `t/${T}/users`, 'users');
		await submit(page, 'user-add', {username: 'alice', role: 'user', extension: '9999', password: 'alice-pass-1'});
		const why = await fieldError(page, 'user-add', 'extension');
		check(`a user for a missing extension is refused next to the extension ("${why}")`, /number of this tenant/.test(why));
		await submit(page, 'user-add', {username: 'alice', role: 'user', extension: '2001', password: 'alice-pass-1'});
		await rowOf(page, 'users', 'user', 'alice').waitFor();
		ok('web user alice (extension 2001) was added');
		await shot(page, 'users');
	},
};

runSteps(steps);
