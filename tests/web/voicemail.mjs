// voicemail.mjs - steps of test_voicemail.sh: a message a phone left is
// listed in the mailbox page and plays in it (the <audio> element loads
// the WAV and its time runs); the mailbox's own user hears it, marks it
// heard and deletes it.
import {runSteps, ok, check, login, shot, open, confirm, submit, fieldError, WAIT_MS} from './lib.mjs';

const T = 'acme.test';
const text = async (loc) => (await loc.textContent()).trim();

// Checks that the message's player loads and plays; returns its duration.
async function plays(page, msg, who) {
	const audio = msg.locator('audio');
	await audio.waitFor();
	const handle = await audio.elementHandle();
	await page.waitForFunction((a) => a.readyState >= 1 && a.duration > 0, handle, {timeout: WAIT_MS});
	const dur = await audio.evaluate((a) => a.duration);
	check(`${who}: the message's <audio> loaded its recording (${dur.toFixed(1)} s)`, dur > 1.5);
	const src = await audio.evaluate((a) => a.currentSrc);
	const got = await page.evaluate(async (u) => {
		const r = await fetch(u, {credentials: 'same-origin'});
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get('Content-Type'),
			magic: String.fromCharCode(...b.slice(0, 4)) + String.fromCharCode(...b.slice(8, 12))};
	}, src);
	check(`${who}: the audio address answers 200 audio/wav with a RIFF/WAVE file`,
		got.status === 200 && got.type === 'audio/wav' && got.magic === 'RIFFWAVE', JSON.stringify(got));
	await audio.evaluate((a) => { a.muted = true; return a.play(); });
	await page.waitForFunction((a) => a.currentTime > 0.3, handle, {timeout: WAIT_MS});
	ok(`${who}: the message plays in the page (its time runs)`);
	await audio.evaluate((a) => a.pause());
	return dur;
}

const steps = {
	async admin(page, [ext, caller]) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/extensions/${ext}`, 'extension');
		const msg = page.locator('ul.messages[data-folder="new"] li.message').first();
		await msg.waitFor();
		const from = await text(msg.locator('.from'));
		check(`${ext}'s new messages list one from ${caller} ("${from}")`,
			from.includes(caller) && (await page.locator('li.message').count()) === 1);
		check('the mailbox summary says 1 new',
			/1 new, 0 saved/.test(await text(page.locator('[data-vm-summary]'))));
		await plays(page, msg, 'admin');
		await shot(page, 'mailbox');
	},

	async user(page, [ext]) {
		await login(page, 'ub', 'ub-pass-123');
		await page.locator('.view[data-page="extension"]').waitFor();
		const msg = page.locator('ul.messages[data-folder="new"] li.message').first();
		await msg.waitFor();
		ok(`the user of ${ext} sees the message on its own page`);
		await plays(page, msg, 'user');
		await msg.getByRole('button', {name: 'Mark heard'}).click();
		await page.locator('ul.messages li.empty', {hasText: 'No new messages'}).waitFor();
		await page.locator('[data-vm-summary]', {hasText: '0 new, 1 saved'}).waitFor();
		ok('"Mark heard" moves it out of the new messages (0 new, 1 saved)');
		await page.locator('.tabs button[data-folder="saved"]').click();
		const saved = page.locator('ul.messages[data-folder="saved"] li.message');
		await saved.first().waitFor();
		ok('it is in the saved folder');
		await shot(page, 'mailbox-saved');
		await saved.first().getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await page.locator('ul.messages li.empty', {hasText: 'No saved messages'}).waitFor();
		await page.locator('[data-vm-summary]', {hasText: '0 new, 0 saved'}).waitFor();
		ok('"Delete" removes it (0 new, 0 saved)');
	},

	// The user's own mailbox settings and greetings.
	async settings(page, [ext, wav]) {
		await open(page, `t/${T}/extensions/${ext}`, 'extension');
		await submit(page, 'mailbox', {pin: '1234'});
		let why = await fieldError(page, 'mailbox', 'pin');
		check(`an easy PIN (1234) is refused next to the PIN ("${why}")`, /too easy/.test(why));
		await submit(page, 'mailbox', {pin: '', email: 'not-an-address'});
		why = await fieldError(page, 'mailbox', 'email');
		check(`a bad email address is refused next to its field ("${why}")`, /email/.test(why));
		await submit(page, 'mailbox', {pin: '583920', email: 'bob@example.com'});
		await page.locator('.flash.ok', {hasText: 'Mailbox settings saved'}).waitFor();
		await page.locator('[data-vm-summary]', {hasText: 'copies to bob@example.com'}).waitFor();
		check('a good PIN and the email are saved (the summary says a PIN is set)',
			!/no PIN set/.test(await text(page.locator('[data-vm-summary]'))));

		await page.locator('form[data-form="greeting-upload"] select[name="kind"]').selectOption('temp');
		await page.locator('form[data-form="greeting-upload"] input[type="file"]').setInputFiles(wav);
		await page.locator('form[data-form="greeting-upload"] button[type="submit"]').click();
		const audio = page.locator('tr[data-greeting="temp"] audio');
		await audio.waitFor();
		const h = await audio.elementHandle();
		await h.evaluate((a) => a.load());
		await page.waitForFunction((a) => a.readyState >= 1 && a.duration > 1, h, {timeout: WAIT_MS});
		ok('an uploaded temporary greeting is listed and loads in its player');
		await shot(page, 'mailbox-settings');
		await page.locator('tr[data-greeting="temp"]').getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await page.locator('tr[data-greeting="temp"] .muted', {hasText: 'stock prompt'}).waitFor();
		ok('deleting it brings back the stock prompt');
	},
};
steps.settings.options = {as: 'user'};
steps.user.options = {as: 'user'};

runSteps(steps);
