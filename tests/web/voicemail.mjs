// voicemail.mjs - steps of test_voicemail.sh: a message a phone left is
// listed in the mailbox page and plays in it (the <audio> element loads
// the WAV and its time runs); the mailbox's own user hears it, marks it
// heard and deletes it.
import {runSteps, ok, check, login, shot, open, confirm, WAIT_MS} from './lib.mjs';

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
};
steps.user.options = {as: 'user'};

runSteps(steps);
