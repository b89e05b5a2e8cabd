// prompts.mjs - steps of test_prompts.sh: a tenant admin uploads prompts
// in the page (a bad id and a file that is not audio refused next to
// their fields), hears one in the page's <audio> player, replaces one
// after a confirmation, deletes one; the page on a phone; an extension
// user has no Prompts page.
//
// Args: the sound files the shell test made with sox.
import {runSteps, ok, check, login, shot, open, fieldError, confirm, VIEWPORTS} from './lib.mjs';

const T = 'acme.test';
const FORM = 'form[data-form="prompt-upload"]';
const row = (page, id) => page.locator(`table[data-table="prompts"] tr[data-prompt="${id}"]`);
const cell = (page, id, label) => row(page, id).locator(`td[data-label="${label}"]`);
const text = async (loc) => (await loc.textContent()).trim();

// Fills the upload form and sends it.
async function upload(page, id, file) {
	const f = page.locator(FORM);
	await f.locator('input[name="id"]').fill(id);
	await f.locator('input[name="file"]').setInputFiles(file);
	await f.locator('button[type="submit"]').click();
}

// What a page must not show or do on this screen.
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
}

const steps = {
	// Bad uploads refused where they are typed; two good ones listed.
	async upload(page, [hello, music, notes]) {
		await login(page, 'adma', 'adma-pass-1');
		await page.locator('#nav a', {hasText: 'Prompts'}).click();
		await page.locator('.view[data-page="prompts"]').waitFor();
		ok('"Prompts" is in a tenant admin\'s menu and opens the page');
		await page.locator('.view .empty[data-table="prompts"]').waitFor();
		ok('no prompts yet: the page says callers hear the stock ones');

		await upload(page, 'Hello World', hello);
		let said = await fieldError(page, 'prompt-upload', 'id');
		check(`an id with capitals and a space is refused next to the id ("${said}")`, /a-z, 0-9 and _/.test(said), said);
		await upload(page, 'welcome', notes);
		said = await fieldError(page, 'prompt-upload', 'file');
		check(`a text file is refused by the PBX next to the file ("${said}")`, /not an audio file/.test(said), said);
		await shot(page, 'refused');

		await upload(page, 'welcome', hello);
		await row(page, 'welcome').waitFor();
		check('the 2.5 s WAV is listed as welcome, 0:02.5 long',
			await text(cell(page, 'welcome', 'Length')) === '0:02.5', await text(cell(page, 'welcome', 'Length')));
		const d = new Date(), two = (n) => String(n).padStart(2, '0');
		const today = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
		const when = await text(cell(page, 'welcome', 'Uploaded'));
		check(`  uploaded today (${when})`, when.startsWith(today), today);
		await upload(page, 'moh', music);
		await row(page, 'moh').waitFor();
		check('the 3 s stereo FLAC is listed as moh (the music on hold), 0:03.0 long',
			await text(cell(page, 'moh', 'Length')) === '0:03.0', await text(cell(page, 'moh', 'Length')));
		await looksRight(page, 'the prompts page');
		await shot(page, 'list');
	},

	// The page's player fetches the stored prompt and plays it.
	async play(page) {
		await open(page, `t/${T}/prompts`, 'prompts');
		const audio = cell(page, 'welcome', 'Listen').locator('audio');
		await audio.waitFor();
		const duration = await audio.evaluate((a) => new Promise((resolve, reject) => {
			a.addEventListener('loadedmetadata', () => resolve(a.duration), {once: true});
			a.addEventListener('error', () => reject(new Error(`audio error ${a.error?.code}`)), {once: true});
			a.preload = 'auto';
			a.load();
		}));
		check(`the player in the row loads the prompt: ${duration.toFixed(2)} s`, Math.abs(duration - 2.5) < 0.05, duration);
		await audio.evaluate((a) => a.play());
		await page.waitForFunction((el) => el.currentTime > 0.2, await audio.elementHandle());
		ok('  and plays it in the page');
	},

	// A second upload under an existing id asks first, then replaces it.
	async replace(page, [music]) {
		await open(page, `t/${T}/prompts`, 'prompts');
		await upload(page, 'welcome', music);
		const q = await text(page.locator('#confirm[open] #confirm-text'));
		check(`replacing welcome asks first ("${q}")`, /Replace prompt welcome/.test(q), q);
		await confirm(page);
		await page.locator('.view .flash.ok').waitFor();
		// The list is drawn again after the flash: wait (bounded) for it.
		for (let i = 0; i < 50; i++) {
			if (await text(cell(page, 'welcome', 'Length')) === '0:03.0')
				break;
			await page.waitForTimeout(100);
		}
		check('welcome is 0:03.0 long now', await text(cell(page, 'welcome', 'Length')) === '0:03.0',
			await text(cell(page, 'welcome', 'Length')));
	},

	async remove(page) {
		await open(page, `t/${T}/prompts`, 'prompts');
		await row(page, 'welcome').locator('button', {hasText: 'Delete'}).click();
		await confirm(page);
		await row(page, 'welcome').waitFor({state: 'detached'});
		check('welcome is deleted and moh stays', await row(page, 'moh').count() === 1);
	},

	async phone(page) {
		await open(page, `t/${T}/prompts`, 'prompts');
		await row(page, 'moh').waitFor();
		await looksRight(page, 'the prompts page on a phone', true);
		await shot(page, 'phone');
	},

	// An extension user: no Prompts in the menu, and the page refuses.
	async user(page) {
		await login(page, 'ua', 'ua-pass-123');
		check('an extension user has no Prompts in the menu',
			await page.locator('#nav a', {hasText: 'Prompts'}).count() === 0);
		await page.goto(`${process.env.PANEL_URL}/#/t/${T}/prompts`);
		const said = await text(page.locator('.view .flash.error'));
		check(`  and the page's address says the role may not open it ("${said}")`, /may not open/.test(said), said);
	},
};
steps.phone.options = {viewport: VIEWPORTS.phone};
steps.user.options = {as: 'user'};

runSteps(steps);
