// trunks.mjs - steps of test_trunks.sh: a trunk and a public number (DID)
// made in the page, shown with their live state and destination; errors
// next to their fields; deleting them.
import {runSteps, ok, check, login, shot, open, submit, fieldError, confirm} from './lib.mjs';

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
		await submit(page, 'trunk-add', {name: 'carrier', host: '127.0.0.1', port: '9', auth: 'ip'});
		await row(page, 'trunks', 'trunk', 'carrier').waitFor();
		const state = await row(page, 'trunks', 'trunk', 'carrier').locator('.tag').textContent();
		check(`the new trunk is listed with its live state ("${state.trim()}")`, /unknown|up|down/.test(state));
		await shot(page, 'trunks');

		await submit(page, 'did-add', {number: '4930555000', dest_type: 'extension', dest: '1001'});
		let why = await fieldError(page, 'did-add', 'number');
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
	},
};

runSteps(steps);
