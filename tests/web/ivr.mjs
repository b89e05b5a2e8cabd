// ivr.mjs - steps of test_ivr.sh: an IVR menu and its digit table built
// in the page, and the route that sends a number to it; another route's
// class of service and recording changed in its row.
import {runSteps, ok, check, login, shot, open, submit, fieldError, addOption, VIEWPORTS} from './lib.mjs';

const T = 'acme.test';
const text = async (loc) => (await loc.textContent()).trim();
const row = (page, d) => page.locator(`table[data-table="digits"] tr[data-digit="${d}"]`);

async function setKey(page, d, action, arg = '') {
	await row(page, d).locator('select[name="action"]').selectOption(action);
	if (arg)
		await row(page, d).locator('input[name="arg"]').fill(arg);
}

const steps = {
	async menu(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/ivr`, 'ivr');
		await submit(page, 'ivr-add', {name: 'Main Menu', greeting: 'welcome'});
		let why = await fieldError(page, 'ivr-add', 'name');
		check(`a bad menu name is refused next to the name ("${why}")`, /a-z, 0-9/.test(why));
		await submit(page, 'ivr-add', {name: 'main', greeting: 'Hello there'});
		why = await fieldError(page, 'ivr-add', 'greeting');
		check(`a bad greeting prompt is refused next to the greeting ("${why}")`, why.length > 0);
		await submit(page, 'ivr-add', {name: 'main', greeting: 'welcome', timeout_ms: '8000'});
		await page.locator('.view[data-page="ivr_menu"]').waitFor();
		ok('menu main was made; its page opened');

		await setKey(page, '2', 'extension', '1002');
		await setKey(page, '3', 'extension', '1003');
		await setKey(page, '*', 'repeat');
		await setKey(page, '9', 'extension', 'abc');
		check('changed keys are highlighted before saving',
			(await page.locator('table[data-table="digits"] tr.changed').count()) === 4);
		await page.getByRole('button', {name: 'Save keys'}).click();
		const err9 = row(page, '9').locator('[data-error-for="option-9"]');
		await err9.waitFor({state: 'visible'});
		check(`key 9 -> extension 'abc' is refused in its own row ("${await text(err9)}")`,
			(await row(page, '9').locator('input[name="arg"]').getAttribute('aria-invalid')) === 'true');
		check('the other keys were saved (no longer highlighted)',
			(await page.locator('table[data-table="digits"] tr.changed').count()) === 1);
		await shot(page, 'ivr-key-error');
		await setKey(page, '9', '');
		await page.getByRole('button', {name: 'Save keys'}).click();
		await page.locator('.flash.ok', {hasText: 'Keys saved'}).waitFor();
		ok('with key 9 cleared, the keys are saved');

		await submit(page, 'ivr-edit', {timeout_ms: '100'});
		why = await fieldError(page, 'ivr-edit', 'timeout_ms');
		check(`a 100 ms wait is refused next to its field ("${why}")`, why.length > 0);
		await submit(page, 'ivr-edit', {timeout_ms: '9000'});
		await page.locator('.flash.ok', {hasText: 'Menu settings saved'}).waitFor();
		ok('the menu settings were changed');

		await page.reload();
		await row(page, '2').waitFor();
		const got = {};
		for (const d of ['2', '3', '*', '9'])
			got[d] = `${await row(page, d).locator('select').inputValue()} ${await row(page, d).locator('input').inputValue()}`.trim();
		check('after a reload the table shows what was saved (2, 3 -> extensions, * repeat, 9 nothing)',
			got['2'] === 'extension 1002' && got['3'] === 'extension 1003' && got['*'] === 'repeat' && got['9'] === '',
			JSON.stringify(got));
		check('and the new wait', (await page.locator('form[data-form="ivr-edit"] [name="timeout_ms"]').inputValue()) === '9000');
		await shot(page, 'ivr-menu');
	},

	async route(page) {
		await open(page, `t/${T}/routes`, 'routes');
		await submit(page, 'route-add', {pattern: '800', app: 'ivr', args: 'nope'});
		const why = await fieldError(page, 'route-add', 'args');
		check(`a route to a menu that does not exist is refused next to the arguments ("${why}")`, /nope/.test(why));
		await submit(page, 'route-add', {pattern: '_12[3', app: 'echo'});
		const why2 = await fieldError(page, 'route-add', 'pattern');
		check(`a bad pattern is refused next to the pattern ("${why2}")`, /pattern/.test(why2));
		await submit(page, 'route-add', {pattern: '800', app: 'ivr', args: 'main'});
		await page.locator('table[data-table="routes"] tr[data-pattern="800"]').waitFor();
		ok('route 800 -> ivr main was added');
		await shot(page, 'routes');
		await open(page, `t/${T}/ivr`, 'ivr');
		await page.locator('table[data-table="menus"] tr[data-menu="main"]').waitFor();
		await shot(page, 'ivr');
	},

	// An echo test route needing class international, then made local
	// and always recorded in its row: refusals under the select they
	// are about, the saved values there after a reload. Route 800 is
	// left as it was (its call is recorded never).
	async routerow(page) {
		await open(page, `t/${T}/routes`, 'routes');
		await submit(page, 'route-add', {pattern: '*43', app: 'echo', cos: 'international'});
		const r = page.locator('table[data-table="routes"] tr[data-pattern="*43"]');
		await r.waitFor();
		const sel = (k) => r.locator(`select[name="${k}"]`);
		const err = (k) => r.locator(`[data-error-for="${k}"]`);
		const save = r.getByRole('button', {name: 'Save'});
		check('the new route\'s row shows class international and recording never, its Save idle',
			(await sel('cos').inputValue()) === 'international' && (await sel('record').inputValue()) === 'never' &&
			await save.isDisabled());
		await addOption(sel('cos'), 'galactic');
		await sel('cos').selectOption('galactic');
		await save.click();
		await err('cos').waitFor({state: 'visible'});
		let why = (await err('cos').textContent()).trim();
		check(`a class the PBX lacks is refused under the route's class ("${why}")`,
			/international/.test(why) && (await sel('cos').getAttribute('aria-invalid')) === 'true');
		await addOption(sel('record'), 'sometimes');
		await sel('cos').selectOption('local');
		await sel('record').selectOption('sometimes');
		await save.click();
		await err('record').waitFor({state: 'visible'});
		why = (await err('record').textContent()).trim();
		check(`a recording mode the PBX lacks is refused under the route's recording ("${why}")`,
			/on-demand/.test(why) && await err('cos').isHidden());
		await sel('record').selectOption('always');
		await save.click();
		await page.locator('.flash.ok', {hasText: 'Route *43 saved'}).waitFor();
		check('saved: the row is no longer marked as changed and its errors are gone',
			!(await r.getAttribute('class') || '').includes('changed') && await err('record').isHidden());
		await open(page, `t/${T}/routes`, 'routes');
		await r.waitFor();
		const got = [await sel('cos').inputValue(), await sel('record').inputValue()];
		const r800 = page.locator('table[data-table="routes"] tr[data-pattern="800"]');
		const got800 = [await r800.locator('select[name="cos"]').inputValue(),
			await r800.locator('select[name="record"]').inputValue()];
		check(`after a reload *43 is local and always recorded (${got.join(', ')}), 800 as it was (${got800.join(', ')})`,
			got.join() === 'local,always' && got800.join() === 'internal,never');
		await shot(page, 'routes-edited');
		// The rows' selects on a phone: one card per route, no wider.
		await page.setViewportSize(VIEWPORTS.phone);
		const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
		check(`on a phone's screen the routes with their selects fit (${sw} <= ${iw} px)`, sw <= iw);
		await shot(page, 'routes-phone');
	},
};

runSteps(steps);
