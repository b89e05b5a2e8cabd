// phones.mjs - steps of test_phones.sh: extensions made in the page are
// used by real phones (baresip); the page shows them registering and
// their call live, without being reloaded, and hangs the call up; the
// call's record is found, filtered and exported.
import fs from 'node:fs';
import {runSteps, ok, check, login, shot, open, submit, confirm, signal, WAIT_MS} from './lib.mjs';

const T = 'acme.test';
const text = async (loc) => (await loc.textContent()).trim();

// A page is still the one opened (a reload would lose the mark).
async function markPage(page) {
	await page.evaluate(() => { window.ondoTestMark = true; });
}
async function samePage(page) {
	return page.evaluate(() => window.ondoTestMark === true);
}

const steps = {
	// log-in, then each NUMBER:PASSWORD:NAME made in the extensions page
	async create(page, args) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/extensions`, 'extensions');
		for (const a of args) {
			const [number, password, name] = a.split(':');
			await submit(page, 'ext-add', {number, password, name});
			await page.locator(`table[data-table="extensions"] tr[data-ext="${number}"]`).waitFor();
			ok(`extension ${number} (${name}) made in the page`);
		}
	},

	// The registrations page is open before the phones register; their
	// rows appear on their own.
	async registrations(page, numbers) {
		await open(page, `t/${T}/registrations`, 'registrations');
		await page.locator('[data-table="registrations"]').waitFor();
		await markPage(page);
		signal('ready');
		for (const n of numbers) {
			const row = page.locator(`table[data-table="registrations"] tr[data-ext="${n}"]`);
			await row.waitFor({timeout: 30000});
			const ua = await text(row.locator('td').nth(1));
			check(`${n}'s phone appears in the registrations view (${ua})`, /baresip/i.test(ua), ua);
		}
		check('the view refreshed itself: the page was not reloaded', await samePage(page));
		await shot(page, 'registrations');
		await open(page, `t/${T}/dashboard`, 'dashboard');
		const reg = page.locator('[data-stat="registered"] .n');
		await page.waitForFunction((n) => document.querySelector('[data-stat="registered"] .n')?.textContent === String(n),
			numbers.length);
		check(`the dashboard counts ${numbers.length} registered extensions`, (await text(reg)) === String(numbers.length));
		await shot(page, 'dashboard');
	},

	// Live calls is open before the call; the call shows up answered, is
	// hung up from the page, and goes away.
	async calls(page, [caller, callee]) {
		await open(page, `t/${T}/calls`, 'calls');
		await page.locator('[data-table="calls"], .view .empty').first().waitFor();
		await markPage(page);
		signal('ready');
		const row = page.locator('table[data-table="calls"] tbody tr',
			{has: page.locator('td', {hasText: caller})}).filter({has: page.locator('td', {hasText: callee})});
		await row.waitFor({timeout: 30000});
		ok(`the call from ${caller} to ${callee} appears in live calls`);
		await page.waitForFunction(() => [...document.querySelectorAll('table[data-table="calls"] .tag')]
			.some((t) => t.textContent === 'answered'), null, {timeout: WAIT_MS});
		ok('it is shown answered');
		check('live calls refreshed themselves: the page was not reloaded', await samePage(page));
		await shot(page, 'calls');
		signal('seen');
		await row.getByRole('button', {name: 'Hang up'}).click();
		await confirm(page);
		await page.locator('.flash.ok', {hasText: 'Hung up the call'}).waitFor();
		ok('"Hang up" was accepted by the daemon');
		await row.waitFor({state: 'detached', timeout: WAIT_MS});
		ok('the call is gone from live calls');
		await shot(page, 'calls-after-hangup');
	},

	// The call's record: listed, filtered, exported.
	async cdr(page, [caller, callee]) {
		await open(page, `t/${T}/cdr`, 'cdr');
		const rows = page.locator('table[data-table="cdr"] tbody tr');
		await rows.first().waitFor();
		const cells = await rows.first().locator('td').allTextContents();
		check(`the call record shows ${caller} -> ${callee} ANSWERED`,
			cells[1] === caller && cells[2] === callee && cells[3] === 'ANSWERED', cells.join(' | '));
		await shot(page, 'cdr');
		await submit(page, 'cdr-filter', {disposition: 'BUSY'});
		await page.locator('.view .empty', {hasText: 'No call records match'}).waitFor();
		ok('filtering by outcome BUSY hides it');
		const today = new Date();
		const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
		await submit(page, 'cdr-filter', {disposition: '', extension: callee, from: day, to: day});
		await rows.first().waitFor();
		check(`filtering by extension ${callee} and today's date finds it`, (await rows.count()) === 1);
		check('the filters are in the address', page.url().includes(`extension=${callee}`), page.url());
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('link', {name: 'Export CSV'}).click()]);
		const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split(/\r?\n/);
		check('"Export CSV" downloads the header and the record',
			csv.length === 2 && csv[0].startsWith('start,caller,callee') &&
			csv[1].includes(`"${caller}","${callee}"`) && csv[1].includes('ANSWERED'), csv.join(' / '));
	},
};

runSteps(steps);
