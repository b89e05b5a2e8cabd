// pages.mjs - steps of test_pages.sh: every page of the panel on a laptop
// and on a phone screen (screenshots of each; nothing wider than the
// phone; no error, no "undefined" shown), and how quickly the pages
// answer with 10,000 extensions and a million call records.
import {runSteps, ok, check, info, login, shot, open, submit, VIEWPORTS} from './lib.mjs';

const T = 'acme.test', BIG = 'big.test';
// [hash, page module, what must be shown]
const PAGES = [
	['tenants', 'tenants', 'table[data-table="tenants"]'],
	[`t/${T}/dashboard`, 'dashboard', '[data-stat="registered"]'],
	[`t/${T}/extensions`, 'extensions', 'table[data-table="extensions"]'],
	[`t/${T}/extensions/1002`, 'extension', 'li.message audio'],
	[`t/${T}/registrations`, 'registrations', 'table[data-table="registrations"]'],
	[`t/${T}/calls`, 'calls', '.view .empty'],
	[`t/${T}/ivr`, 'ivr', 'table[data-table="menus"]'],
	[`t/${T}/ivr/main`, 'ivr_menu', 'table[data-table="digits"]'],
	[`t/${T}/ringgroups`, 'ringgroups', 'table[data-table="ringgroups"]'],
	[`t/${T}/ringgroups/600`, 'ringgroup', 'table[data-table="members"]'],
	[`t/${T}/routes`, 'routes', 'table[data-table="routes"]'],
	[`t/${T}/trunks`, 'trunks', 'table[data-table="dids"]'],
	[`t/${T}/timeconds`, 'timeconds', 'table[data-table="timeconds"]'],
	[`t/${T}/timeconds/office`, 'timecond', 'table[data-table="rules"]'],
	[`t/${T}/cdr`, 'cdr', 'table[data-table="cdr"]'],
	[`t/${T}/users`, 'users', 'table[data-table="users"]'],
	[`t/${T}/settings`, 'settings', 'form[data-form="tenant-settings"]'],
	['audit', 'audit', 'table[data-table="audit"]'],
];

// What a page must not show or do on this screen.
async function looksRight(page, what, phone) {
	const bad = await page.evaluate(() => {
		const t = document.body.innerText;
		const m = t.match(/\b(undefined|null|NaN)\b|\[object \w+\]/);
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

async function tour(page, size) {
	await login(page, 'root', 'root-pass-1');
	const phone = size === 'phone';
	for (const [hash, name, sel] of PAGES) {
		await open(page, hash, name);
		await page.locator(sel).first().waitFor();
		await shot(page, `${size}-${name}`);
		await looksRight(page, `${name} on a ${size}`, phone);
		if (name === 'cdr' && !phone) {
			// A call recorded twice: a player for each recording.
			const srcs = await page.locator('tr[data-call-id="pages-rec"] audio')
				.evaluateAll((as) => as.map((a) => a.getAttribute('src')));
			check('a call with two recordings has a player for each',
				srcs.length === 2 && srcs[0].endsWith('/recordings/1') &&
				srcs[1].endsWith('/recordings/2'), srcs.join(' '));
		}
		if (name === 'dashboard' && !phone) {
			// New voicemail: GET /api/v1/tenants/{t}/voicemail.
			const vm = page.locator('[data-stat="voicemail"] .n');
			check('the dashboard counts 1 new voicemail message',
				(await vm.count()) === 1 && (await vm.textContent()) === '1');
		}
	}
	if (phone) {
		check('on a phone the menu is folded away', await page.locator('#nav').isHidden());
		await page.locator('#menu-toggle').click();
		await page.locator('#nav a', {hasText: 'Extensions'}).waitFor();
		await shot(page, 'phone-menu');
		await page.locator('#nav a', {hasText: 'Extensions'}).click();
		await page.locator('.view[data-page="extensions"]').waitFor();
		check('a menu entry opens its page and folds the menu', await page.locator('#nav').isHidden());
	}
}

// Milliseconds fn takes.
async function timed(fn) {
	const t0 = Date.now();
	await fn();
	return Date.now() - t0;
}

const LIMIT_MS = Number(process.env.WEB_SCALE_MS || 3000);

const steps = {
	laptop: (page) => tour(page, 'laptop'),
	phone: (page) => tour(page, 'phone'),

	async user(page) {
		await login(page, 'ua', 'ua-pass-123');
		await page.locator('li.message audio').waitFor();
		await shot(page, 'phone-user');
		await looksRight(page, 'a user\'s own page on a phone', true);
	},

	async scale(page) {
		await login(page, 'root', 'root-pass-1');
		const total = page.locator('.pager [data-total]');
		let ms = await timed(async () => {
			await open(page, `t/${BIG}/extensions`, 'extensions');
			await page.locator('.pager [data-total="10000"]').waitFor();
		});
		check(`10,000 extensions: the first page shows in ${ms} ms`, ms < LIMIT_MS);
		ms = await timed(async () => {
			await page.locator('input[type="search"]').fill('7777');
			await page.locator('.pager [data-total="1"]').waitFor();
		});
		check(`10,000 extensions: a search finds 1 in ${ms} ms (with the 250 ms typing pause)`, ms < LIMIT_MS);
		ms = await timed(async () => {
			await open(page, `t/${BIG}/extensions?offset=9950`, 'extensions');
			await total.filter({hasText: '9,951–10,000 of 10,000'}).waitFor();
		});
		check(`10,000 extensions: the last page shows in ${ms} ms`, ms < LIMIT_MS);
		await shot(page, 'scale-extensions');

		const rows = page.locator('table[data-table="cdr"] tbody tr');
		ms = await timed(async () => {
			await open(page, `t/${BIG}/cdr`, 'cdr');
			await page.locator('.pager [data-count="100"]').waitFor();
		});
		check(`1,000,000 call records: the newest 100 show in ${ms} ms`, ms < LIMIT_MS);
		ms = await timed(async () => {
			await page.getByRole('button', {name: 'Older →'}).click();
			await page.locator('.pager [data-count="200"]').waitFor();
		});
		check(`1,000,000 call records: "Older" adds the next 100 in ${ms} ms`, ms < LIMIT_MS);
		ms = await timed(async () => {
			await submit(page, 'cdr-filter', {extension: '1234'});
			await page.locator('.pager [data-count="100"]').waitFor();
		});
		const own = (await rows.locator('td:nth-child(2)').allTextContents())
			.concat(await rows.locator('td:nth-child(3)').allTextContents());
		check(`1,000,000 call records: filtering by extension 1234 in ${ms} ms`,
			ms < LIMIT_MS && (await rows.count()) === 100 &&
			(await rows.evaluateAll((rs) => rs.every((r) => [...r.cells].some((c) => c.textContent === '1234')))), own.length);
		ms = await timed(async () => {
			await submit(page, 'cdr-filter', {extension: '', disposition: 'BUSY'});
			await page.waitForFunction(() => {
				const tags = [...document.querySelectorAll('table[data-table="cdr"] .tag')];
				return tags.length && tags.every((t) => t.textContent === 'BUSY');
			});
		});
		check(`1,000,000 call records: filtering by outcome BUSY in ${ms} ms`, ms < LIMIT_MS);
		await shot(page, 'scale-cdr');
	},
};
steps.user.options = {as: 'user', viewport: VIEWPORTS.phone};
steps.phone.options = {viewport: VIEWPORTS.phone};

runSteps(steps);
