// ringgroups.mjs - steps of test_ringgroups.sh: a ring group made in the
// page (bad values refused next to their fields) and its members added in
// ring order; later moved, removed, given a ring time and the group's
// settings changed; both pages on a phone's screen; the group deleted.
import {runSteps, ok, check, login, shot, open, submit, fieldError, confirm, VIEWPORTS, WAIT_MS} from './lib.mjs';

const T = 'acme.test', GROUP = '600';
const text = async (loc) => (await loc.textContent()).trim();
const groupRow = (page) => page.locator(`table[data-table="ringgroups"] tr[data-group="${GROUP}"]`);
const memberRows = (page) => page.locator('table[data-table="members"] tr[data-member]');
const order = async (page) => memberRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.member).join(','));

// Waits until the member table shows `want` ("1002,1003").
async function waitOrder(page, want) {
	await page.waitForFunction((w) => [...document.querySelectorAll('table[data-table="members"] tr[data-member]')]
		.map((r) => r.dataset.member).join(',') === w, want, {timeout: WAIT_MS});
}

async function addMember(page, ext, ring) {
	const f = page.locator('form[data-form="rg-member-add"]');
	await f.locator('select[name="extension"]').selectOption(ext);
	await f.locator('input[name="ring_time"]').fill(ring);
	await f.locator('button[type="submit"]').click();
}

// What a page must not show or do on this screen (as test_pages.sh).
async function looksRight(page, what, phone) {
	const bad = await page.evaluate(() => {
		const m = document.body.innerText.match(/\b(undefined|null|NaN)\b|\[object \w+\]/);
		return m ? m[0] : '';
	});
	check(`${what}: no "undefined", "null" or "[object]" shown`, !bad, bad);
	if (phone) {
		const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
		check(`${what}: fits the phone's width (${sw} <= ${iw} px)`, sw <= iw, `${sw} > ${iw}`);
	}
	const unlabelled = await page.evaluate(() => [...document.querySelectorAll('.view input, .view select, .view textarea')]
		.filter((i) => i.type !== 'hidden' && !i.labels?.length && !i.getAttribute('aria-label')).map((i) => i.name));
	check(`${what}: every input has a label`, !unlabelled.length, unlabelled.join(', '));
}

const steps = {
	async create(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/dashboard`, 'dashboard');
		await page.locator('#nav a', {hasText: 'Ring groups'}).click();
		await page.locator('.view[data-page="ringgroups"]').waitFor();
		ok('"Ring groups" is in the menu and opens the ring groups page');
		await page.locator('.view .empty[data-table="ringgroups"]').waitFor();
		const good = {number: GROUP, name: 'Sales', strategy: 'sequential', ring_time: '20', timeout: '40',
			fallback_type: 'voicemail', fallback: '1004'};
		const bad = [
			['number', {number: '60a'}, /digits/, 'a number with a letter'],
			['number', {number: '1001'}, /extension/, 'the number of extension 1001'],
			['ring_time', {ring_time: '4'}, /5 to 300/, 'members ringing 4 s'],
			['timeout', {timeout: '601'}, /5 to 600/, 'a fallback after 601 s'],
			['fallback', {fallback: '1009'}, /no extension 1009/, 'a fallback to a mailbox that does not exist'],
			['fallback', {fallback_type: 'ringgroup', fallback: GROUP}, /itself/, 'a group falling back to itself'],
		];
		for (const [field, change, why, what] of bad) {
			await submit(page, 'rg-add', {...good, ...change});
			const said = await fieldError(page, 'rg-add', field);
			check(`${what} is refused next to the field ("${said}")`, why.test(said), said);
		}
		await shot(page, 'ringgroups-refused');
		await submit(page, 'rg-add', good);
		await page.locator('.view[data-page="ringgroup"]').waitFor();
		check('the new group opens its page',
			/Ring group 600 — Sales/.test(await text(page.locator('.view h1'))));
		await page.locator('.view .empty[data-table="members"]').waitFor();
		ok('it has no members yet');

		await addMember(page, '1002', '3');
		const err = page.locator('.view [data-error-for="members"]');
		await err.waitFor({state: 'visible'});
		const said = await text(err);
		check(`a member ringing 3 s is refused under the members ("${said}")`, /5 to 300/.test(said), said);
		await addMember(page, '1002', '5');
		await waitOrder(page, '1002');
		check('the refusal is gone once a member is added', await err.isHidden());
		await addMember(page, '1003', '');
		await waitOrder(page, '1002,1003');
		ok('1002 (5 s) and 1003 are members, in that order');
		check('1002 shows its own 5 s',
			(await memberRows(page).first().locator('input[name="ring_time"]').inputValue()) === '5');
		check('the picker no longer offers members',
			(await page.locator('form[data-form="rg-member-add"] option[value="1002"]').count()) === 0);
		await shot(page, 'ringgroup-new');
		await page.getByRole('link', {name: '← All ring groups'}).click();
		const row = groupRow(page);
		await row.waitFor();
		const cells = (await text(row)).replace(/\s+/g, ' ');
		check(`the list shows it with its members and fallback ("${cells}")`,
			/Sales/.test(cells) && /1002, 1003/.test(cells) && /one after the other/.test(cells) &&
			/voicemail 1004/.test(cells));
		await shot(page, 'ringgroups');
	},

	async edit(page) {
		await open(page, `t/${T}/ringgroups/${GROUP}`, 'ringgroup');
		await waitOrder(page, '1002,1003');
		await page.getByRole('button', {name: 'Move 1003 up'}).click();
		await waitOrder(page, '1003,1002');
		ok('"Up" moves 1003 first');
		check('the first member cannot move up',
			await page.getByRole('button', {name: 'Move 1003 up'}).isDisabled());
		await page.getByRole('button', {name: 'Remove 1002'}).click();
		await waitOrder(page, '1003');
		ok('"Remove" takes 1002 out');
		await addMember(page, '1004', '');
		await waitOrder(page, '1003,1004');
		const ring = memberRows(page).first().locator('input[name="ring_time"]');
		await ring.fill('30');
		await ring.dispatchEvent('change');
		await page.locator('.flash', {hasText: '1003 rings 30 s'}).waitFor();
		ok('1003 is given 30 s of its own');
		await submit(page, 'rg-edit', {strategy: 'simultaneous', fallback_type: '', fallback: ''});
		await page.locator('.flash', {hasText: 'Group settings saved'}).waitFor();
		const summary = await text(page.locator('.view h1 + p'));
		check(`the page says how the group rings now ("${summary}")`,
			/all at once/.test(summary) && /busy \/ no answer/.test(summary), summary);
		await shot(page, 'ringgroup-edited');
	},

	// Both pages on a phone's screen.
	async phone(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/ringgroups`, 'ringgroups');
		await groupRow(page).waitFor();
		await shot(page, 'phone-ringgroups');
		await looksRight(page, 'the ring groups page on a phone', true);
		await open(page, `t/${T}/ringgroups/${GROUP}`, 'ringgroup');
		await memberRows(page).first().waitFor();
		await shot(page, 'phone-ringgroup');
		await looksRight(page, 'a ring group on a phone', true);
		check('the members are as the page left them', (await order(page)) === '1003,1004');
	},

	async remove(page) {
		await open(page, `t/${T}/ringgroups`, 'ringgroups');
		await groupRow(page).getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await groupRow(page).waitFor({state: 'detached'});
		ok('the group is deleted from the list');
	},
};
steps.phone.options = {viewport: VIEWPORTS.phone};

runSteps(steps);
