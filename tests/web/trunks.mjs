// trunks.mjs - steps of test_trunks.sh: a trunk and a public number (DID)
// made in the page, shown with their live state and destination; errors
// next to their fields; deleting them; a DID sent elsewhere ("Change"). The superadmin's shared trunk made
// and changed in the same page; the superadmin sets the tenant's limits;
// the tenant's admin sees the shared trunk and the limits but cannot
// change them, and changes the tenant's settings.
import {runSteps, ok, check, login, shot, open, submit, fieldError, confirm, addOption} from './lib.mjs';

const T = 'acme.test';
const row = (page, table, key, v) => page.locator(`table[data-table="${table}"] tr[data-${key}="${v}"]`);

const steps = {
	async trunks(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/trunks`, 'trunks');
		// A carrier on 127.0.0.1 port 9, where nothing listens: the test
		// talks to loopback only.
		await submit(page, 'trunk-add', {name: 'Carrier 1', host: '127.0.0.1', port: '9', auth: 'ip'});
		await page.locator('.flash.error, [data-error-for]').first().waitFor({state: 'visible'});
		ok('a trunk name with a blank and capitals is refused');
		await submit(page, 'trunk-add', {name: 'carrier', host: '127.0.0.1', port: '9', auth: 'ip',
			max_calls: '4', max_per_hour: '-1'});
		let why = await fieldError(page, 'trunk-add', 'max_per_hour');
		check(`-1 outbound calls per hour is refused next to its field ("${why}")`, /max_per_hour/.test(why));
		await submit(page, 'trunk-add', {max_per_hour: '30'});
		const carrier = row(page, 'trunks', 'trunk', 'carrier');
		await carrier.waitFor();
		const state = await carrier.locator('.tag').textContent();
		check(`the new trunk is listed with its live state ("${state.trim()}")`, /unknown|up|down/.test(state));
		const limits = (await carrier.locator('[data-limits]').textContent()).trim();
		check(`  and its limits, as stored ("${limits}")`, limits === '4 at once, 30/h');
		// The daemon re-reads its trunks after the change; the page asks
		// for the live state every 5 s.
		await carrier.locator('td', {hasText: '0/30 out this hour'}).waitFor();
		ok('  and the live calls count the hour against 30');
		await shot(page, 'trunks');

		await submit(page, 'did-add', {number: '4930555000', dest_type: 'extension', dest: '1001'});
		why = await fieldError(page, 'did-add', 'number');
		check(`a number without + is refused next to it ("${why}")`, /E\.164/.test(why));
		await submit(page, 'did-add', {number: '+4930555000', dest_type: 'extension', dest: '1999'});
		why = await fieldError(page, 'did-add', 'dest');
		check(`a DID to a missing extension is refused next to it ("${why}")`, /1999/.test(why));
		await submit(page, 'did-add', {number: '+4930555000', dest_type: 'extension', dest: '1001'});
		await row(page, 'dids', 'did', '+4930555000').waitFor();
		check('the DID is listed with where it goes',
			/extension 1001/.test(await row(page, 'dids', 'did', '+4930555000').textContent()));
		await shot(page, 'trunks-did');

		await row(page, 'dids', 'did', '+4930555000').getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await row(page, 'dids', 'did', '+4930555000').waitFor({state: 'detached'});
		ok('the DID was deleted from the page');

		// Another number, sent to the mailbox instead with "Change".
		const N = '+4930555001';
		await submit(page, 'did-add', {number: N, dest_type: 'extension', dest: '1001'});
		await row(page, 'dids', 'did', N).waitFor();
		await row(page, 'dids', 'did', N).getByRole('button', {name: 'Change'}).click();
		const f = 'did-edit';
		const input = (name) => page.locator(`form[data-form="${f}"] [name="${name}"]`);
		check('the change form shows where the DID goes now',
			(await input('dest_type').inputValue()) === 'extension' && (await input('dest').inputValue()) === '1001');
		await submit(page, f, {dest_type: 'voicemail', dest: '1999'});
		why = await fieldError(page, f, 'dest');
		check(`a DID to a missing mailbox is refused next to it ("${why}")`, /1999/.test(why));
		await addOption(input('dest_type'), 'fax');
		await submit(page, f, {dest_type: 'fax', dest: '1001'});
		why = await fieldError(page, f, 'dest_type');
		check(`a kind of destination the PBX lacks is refused next to it ("${why}")`, /fax/.test(why));
		await submit(page, f, {dest_type: 'voicemail', dest: '1001'});
		await page.locator(`form[data-form="${f}"]`).waitFor({state: 'detached'});
		await row(page, 'dids', 'did', N).filter({hasText: 'voicemail 1001'}).waitFor();
		ok('the DID was changed in the page: it goes to mailbox 1001');
		await open(page, `t/${T}/trunks`, 'trunks');
		check('  and still does after a reload',
			/voicemail 1001/.test(await row(page, 'dids', 'did', N).textContent()));
		await shot(page, 'trunks-did-changed');
	},

	async shared(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/trunks`, 'trunks');
		await submit(page, 'trunk-add', {name: 'pool', host: '127.0.0.1', port: '70000', auth: 'register',
			username: 'pool-account', password: 'pool-secret-1', shared: true});
		let why = await fieldError(page, 'trunk-add', 'port');
		check(`a shared trunk on port 70000 is refused next to the port ("${why}")`, /65535/.test(why));
		await submit(page, 'trunk-add', {port: '9'});
		const pool = row(page, 'trunks', 'trunk', 'pool');
		await pool.waitFor();
		check('the shared trunk is listed as shared', /\(shared\)/.test(await pool.textContent()));
		await pool.getByRole('button', {name: 'Change'}).click();
		await submit(page, 'trunk-edit', {host: 'bad host', max_calls: '3'});
		why = await fieldError(page, 'trunk-edit', 'host');
		check(`a host with a blank is refused next to it ("${why}")`, /DNS name/.test(why));
		check('the change form shows the trunk\'s hourly limit (none yet)',
			(await page.locator('form[data-form="trunk-edit"] [name="max_per_hour"]').inputValue()) === '0');
		await submit(page, 'trunk-edit', {host: '127.0.0.2', max_per_hour: '50'});
		await page.locator('form[data-form="trunk-edit"]').waitFor({state: 'detached'});
		await page.locator('table[data-table="trunks"] tr[data-trunk="pool"]', {hasText: '127.0.0.2'}).waitFor();
		ok('the shared trunk was changed in the page (its new host listed)');
		const limits = (await pool.locator('[data-limits]').textContent()).trim();
		check(`  with its new limits ("${limits}")`, limits === '3 at once, 50/h');
		await shot(page, 'trunks-shared');
	},

	// The superadmin sets the tenant's limits in its settings page.
	async limits(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/settings`, 'settings');
		const f = 'tenant-limits';
		const value = (name) => page.locator(`form[data-form="${f}"] [name="${name}"]`).inputValue();
		check('the limits form shows the defaults: no limit on calls and extensions, 14400 s a call',
			(await value('max_calls')) === '0' && (await value('max_extensions')) === '0' &&
			(await value('max_call_secs')) === '14400');
		await submit(page, f, {max_calls: '20', max_call_secs: '5'});
		const why = await fieldError(page, f, 'max_call_secs');
		check(`a longest call of 5 s is refused next to its field ("${why}")`, /10 to 604800/.test(why));
		check('  and the calls field has no error',
			await page.locator(`form[data-form="${f}"] [data-error-for="max_calls"]`).isHidden());
		await submit(page, f, {max_calls: '20', max_extensions: '50', max_call_secs: '3600'});
		await page.locator('.flash.ok', {hasText: 'Saved'}).waitFor();
		ok('the limits are saved');
		await open(page, `t/${T}/settings`, 'settings');
		const after = [await value('max_calls'), await value('max_extensions'), await value('max_call_secs')];
		check(`after a reload the form has them: ${after.join(', ')}`, after.join() === '20,50,3600');
		await shot(page, 'limits');
	},

	async admin(page) {
		await login(page, 'adma', 'adma-pass-1');
		await open(page, `t/${T}/trunks`, 'trunks');
		const pool = row(page, 'trunks', 'trunk', 'pool');
		await pool.waitFor();
		const text = await pool.textContent();
		check('the admin sees the shared trunk, without its account and without Change or Delete',
			!/pool-account/.test(text) && (await pool.getByRole('button').count()) === 0, text);
		check('  and the add form has no "shared" box',
			(await page.locator('form[data-form="trunk-add"] [name="shared"]').count()) === 0);

		await open(page, `t/${T}/settings`, 'settings');
		const said = async (name) => (await page.locator(`[data-limit="${name}"]`).textContent()).trim();
		check('the admin reads the limits the superadmin set ("20 at once", "50 at most", "1 h")',
			(await said('max_calls')) === '20 at once' && (await said('max_extensions')) === '50 at most' &&
			(await said('max_call_secs')) === '1 h');
		check('  without a form or any input for them',
			(await page.locator('form[data-form="tenant-limits"]').count()) === 0 &&
			(await page.locator('[data-limits] input').count()) === 0);
		check('  and told the hosting provider sets them',
			/hosting provider/.test(await page.locator('[data-limits-note]').textContent()));
		await submit(page, 'tenant-settings', {timezone: 'Mars/Base'});
		let why = await fieldError(page, 'tenant-settings', 'timezone');
		check(`an unknown time zone is refused next to it ("${why}")`, /IANA/.test(why));
		await submit(page, 'tenant-settings', {timezone: 'Europe/Berlin', main_number: '030123'});
		why = await fieldError(page, 'tenant-settings', 'main_number');
		check(`a main number without + is refused next to it ("${why}")`, /E\.164/.test(why));
		await submit(page, 'tenant-settings', {main_number: '', record_code: '*7'});
		why = await fieldError(page, 'tenant-settings', 'record_code');
		check(`a record code that starts *70 is refused next to it ("${why}")`, /\*70/.test(why));
		await submit(page, 'tenant-settings', {name: 'Acme Europe', main_number: '+4930123450',
			codecs: 'pcma, pcmu', record_code: '*9'});
		await page.locator('.flash.ok').waitFor();
		check('the settings are saved, the codecs as stored',
			(await page.locator('form[data-form="tenant-settings"] [name="codecs"]').inputValue()) === 'PCMA,PCMU' &&
			(await page.locator('form[data-form="tenant-settings"] [name="record_code"]').inputValue()) === '*9');
		check('  and the title has the new name', /Acme Europe/.test(await page.locator('h1').textContent()));
		await submit(page, 'tenant-voicemail', {max_message_s: 5});
		why = await fieldError(page, 'tenant-voicemail', 'max_message_s');
		check(`a 5 s longest voicemail is refused next to it ("${why}")`, /10 to 3600/.test(why));
		await submit(page, 'tenant-voicemail', {max_message_s: 120, own_phone_pin: 'skip'});
		await page.locator('.flash.ok', {hasText: 'longest message'}).waitFor();
		check('the admin saves the voicemail settings',
			(await page.locator('form[data-form="tenant-voicemail"] [name="max_message_s"]').inputValue()) === '120');
		await shot(page, 'settings');
	},

	async timeconds(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/timeconds`, 'timeconds');
		await submit(page, 'timecond-add', {name: 'office', open_type: 'extension', open_dest: '1999',
			closed_type: 'voicemail', closed_dest: '1001'});
		const why = await fieldError(page, 'timecond-add', 'open_dest');
		check(`a condition open to a missing extension is refused next to it ("${why}")`, /1999/.test(why));
		await submit(page, 'timecond-add', {name: 'office', open_type: 'extension', open_dest: '1001',
			closed_type: 'voicemail', closed_dest: '1001'});
		await page.locator('.view[data-page="timecond"]').waitFor();
		check('a new condition with no hours is closed now',
			(await page.locator('[data-open]').getAttribute('data-open')) === 'false');
		await submit(page, 'rule-add', {rule: 'mo-fr'});
		const bad = await fieldError(page, 'rule-add', 'rule');
		check(`a rule the parser cannot read says why ("${bad}")`, /unknown day/.test(bad));
		await submit(page, 'rule-add', {rule: 'mon-sun'});
		await page.locator('[data-open="true"]').waitFor();
		ok('with an all-week rule it is open now');
		await submit(page, 'holiday-add', {date: '12-25', name: 'Christmas'});
		await page.locator('table[data-table="holidays"] tr[data-holiday="12-25"]').waitFor();
		ok('a yearly holiday is listed');
		await shot(page, 'timecond');
	},
};

steps.admin.options = {as: 'adma'};

runSteps(steps);
