// forward.mjs - steps of test_forward.sh: an extension's forwarding and
// do-not-disturb set in its page by its own user (refused targets said
// next to their fields) and by an admin; the header's summary follows,
// and a reload shows what was stored.
import {runSteps, ok, check, login, shot, open, submit, fieldError} from './lib.mjs';

const T = 'acme.test';
const text = async (loc) => (await loc.textContent()).trim();
const summary = (page) => text(page.locator('[data-fwd-summary]'));
const form = (page) => page.locator('form[data-form="forward"]');

// Submits the forward form and waits for "Forwarding saved."
async function save(page, values) {
	await submit(page, 'forward', values);
	await page.locator('.flash.ok', {hasText: 'Forwarding saved.'}).waitFor();
}

const steps = {
	// The extension's own user: refusals, then always to 1003 and DND.
	async user(page, [ext]) {
		await login(page, 'ub', 'ub-pass-123');
		await page.locator('.view[data-page="extension"]').waitFor();
		check(`the user's page says no forwarding ("${await summary(page)}")`,
			(await summary(page)) === 'No forwarding.');
		const off = {always_type: '', busy_type: '', noanswer_type: '', unregistered_type: ''};

		await submit(page, 'forward', {...off, busy_type: 'extension', busy_dest: '9999'});
		let why = await fieldError(page, 'forward', 'busy_dest');
		check(`a busy forward to 9999 is refused next to its target ("${why}")`,
			/no extension 9999/.test(why));
		await submit(page, 'forward', {...off, busy_type: 'extension', busy_dest: ext});
		why = await fieldError(page, 'forward', 'busy_dest');
		check(`a forward to itself is refused ("${why}")`, /to itself/.test(why));
		await submit(page, 'forward', {...off, busy_type: '', always_type: 'number', always_dest: '5555'});
		why = await fieldError(page, 'forward', 'always_dest');
		check(`a number nothing routes is refused ("${why}")`, /reaches no route/.test(why));
		await submit(page, 'forward', {...off, always_type: '', noanswer_type: 'extension',
			noanswer_dest: '1003', noanswer_after: '3'});
		why = await fieldError(page, 'forward', 'noanswer_after');
		check(`3 s before a no-answer forward is refused next to the time ("${why}")`, /5 to 600/.test(why));
		await shot(page, 'refused');

		await save(page, {...off, dnd: true, always_type: 'extension', always_dest: '1003',
			noanswer_dest: '', noanswer_after: ''});
		const s = await summary(page);
		check(`the summary says DND on and all calls to 1003 ("${s}")`,
			/do-not-disturb on/.test(s) && /forward all calls: extension 1003/.test(s));
		await page.reload();
		await page.locator('.view[data-page="extension"]').waitFor();
		check('after a reload the form shows what was stored',
			(await form(page).locator('[name="always_type"]').inputValue()) === 'extension' &&
			(await form(page).locator('[name="always_dest"]').inputValue()) === '1003' &&
			(await form(page).locator('[name="dnd"]').isChecked()));
		await shot(page, 'user');
	},

	// An admin: always off, no answer to the extension's own mailbox
	// after 10 s, unregistered to a dialplan number, DND off.
	async admin(page, [ext]) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/extensions/${ext}`, 'extension');
		check('the admin sees the forward the user set',
			/forward all calls: extension 1003/.test(await summary(page)));
		await save(page, {dnd: false, always_type: '', noanswer_type: 'voicemail', noanswer_dest: '',
			noanswer_after: '10', unregistered_type: 'number', unregistered_dest: '600'});
		const s = await summary(page);
		check(`the summary follows ("${s}")`,
			!/do-not-disturb/.test(s) && !/forward all calls/.test(s) &&
			/when not answered: mailbox 1002 after 10 s/.test(s) &&
			/when no phone is registered: number 600/.test(s));
		ok('the admin changed the forwarding');
		await shot(page, 'admin');
	},

	// The page on a phone's screen.
	async narrow(page, [ext]) {
		await page.setViewportSize({width: 390, height: 844});
		await open(page, `t/${T}/extensions/${ext}`, 'extension');
		await form(page).waitFor();
		const wide = await page.evaluate(() => document.documentElement.scrollWidth);
		check(`the forwarding form fits a phone's screen (${wide} px)`, wide <= 390);
		await shot(page, 'phone');
	},
};

runSteps(steps);
