// rooms.mjs - steps of test_rooms.sh: a conference room made and edited
// in the page (bad values refused next to their fields); the room's page
// watching two real phones come in, muting one and removing the other,
// locking and unlocking the room; its recording played and deleted; the
// room deleted.
import {runSteps, ok, check, login, shot, open, submit, fieldError, confirm, signal, VIEWPORTS, WAIT_MS} from './lib.mjs';

const T = 'acme.test', ROOM = '800';
const text = async (loc) => (await loc.textContent()).trim();
const member = (page, caller) => page.locator(`table[data-table="members"] tr[data-caller="${caller}"]`);
const roomRow = (page) => page.locator(`table[data-table="rooms"] tr[data-room="${ROOM}"]`);

// What a page must not show or do on this screen (as test_pages.sh checks
// every other page).
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
	// The room made in the page, after each bad value is refused next to
	// its field; then renamed on its own page.
	async create(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/dashboard`, 'dashboard');
		await page.locator('#nav a', {hasText: 'Conference rooms'}).click();
		await page.locator('.view[data-page="rooms"]').waitFor();
		ok('"Conference rooms" is in the menu and opens the rooms page');
		await page.locator('.view .empty[data-table="rooms"]').waitFor();
		const good = {number: ROOM, name: 'Weekly call', pin: '2468', mod_pin: '1357', max_members: '10',
			wait_moderator: false, record: true};
		const bad = [
			['number', {number: '80a'}, /digits/, 'a number with a letter'],
			['number', {number: '1001'}, /extension/, 'the number of extension 1001'],
			['pin', {pin: '12ab'}, /digits/, 'a PIN with letters'],
			['mod_pin', {mod_pin: '2468'}, /differ/, 'a moderator PIN equal to the PIN'],
			['max_members', {max_members: '501'}, /2 to 500/, 'room for 501'],
			['wait_moderator', {mod_pin: '', wait_moderator: true}, /mod_pin/, 'waiting for a moderator with no moderator PIN'],
		];
		for (const [field, change, why, what] of bad) {
			await submit(page, 'room-add', {...good, ...change});
			const said = await fieldError(page, 'room-add', field);
			check(`${what} is refused next to the field ("${said}")`, why.test(said), said);
		}
		await shot(page, 'rooms-refused');
		await submit(page, 'room-add', good);
		await page.locator('.view[data-page="room"]').waitFor();
		check('the new room opens its page',
			/Room 800 — Weekly call/.test(await text(page.locator('.view h1'))));
		// The page draws its heading first and the people once the live
		// view has answered: wait for the members list, empty or not,
		// before reading it (under ASan it came a moment after the h1).
		await page.locator('.view [data-table="members"]').first().waitFor();
		check('nobody is in it yet',
			(await page.locator('.view .empty[data-table="members"]').count()) === 1 &&
			await page.getByRole('button', {name: 'Lock room'}).isDisabled());
		await submit(page, 'room-edit', {name: 'Monday call', max_members: '12'});
		await page.locator('.view h1', {hasText: 'Monday call'}).waitFor();
		ok('the room is renamed on its page');
		await shot(page, 'room-new');
		await page.getByRole('link', {name: '← All rooms'}).click();
		const row = roomRow(page);
		await row.waitFor();
		const cells = await text(row);
		check(`the list shows it with its PINs and nobody in it ("${cells.replace(/\s+/g, ' ')}")`,
			/Monday call/.test(cells) && /2468/.test(cells) && /1357/.test(cells) &&
			(await row.locator('[data-members="0"]').count()) === 1);
		await shot(page, 'rooms');
	},

	// Watches the room's page while two phones come in (the shell test
	// dials them after 'ready'); mutes 1002, removes 1001, locks the room.
	async live(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/rooms/${ROOM}`, 'room');
		signal('ready');
		await member(page, '1001').waitFor({timeout: 40000});
		await member(page, '1002').waitFor({timeout: 40000});
		ok('both phones appear in the open room page without a reload');
		const alice = await text(member(page, '1001'));
		check(`1001 came in with the moderator PIN: a moderator, with its name ("${alice.replace(/\s+/g, ' ')}")`,
			/moderator/.test(alice) && /Alice/.test(alice));
		check('1002 came in as a member', /member/.test(await text(member(page, '1002'))));
		await page.locator('.view .live[data-members="2"]').waitFor();
		ok('the page says 2 are in the room');
		await page.locator('table[data-table="members"] tr[data-speaking="true"]').first().waitFor();
		ok('the page shows who is speaking (the phones send tones)');
		await shot(page, 'room-live');

		await member(page, '1002').getByRole('button', {name: 'Mute'}).click();
		await page.locator('table[data-table="members"] tr[data-caller="1002"][data-muted="true"]').waitFor();
		check('"Mute" shows 1002 muted, with "Unmute" in its row',
			await member(page, '1002').getByRole('button', {name: 'Unmute'}).isVisible());
		signal('muted');

		await member(page, '1001').getByRole('button', {name: 'Remove'}).click();
		await confirm(page);
		await member(page, '1001').waitFor({state: 'detached'});
		ok('"Remove" takes 1001 out of the room (its row is gone)');
		await page.locator('.view .live[data-members="1"]').waitFor();
		signal('kicked');

		await page.getByRole('button', {name: 'Lock room'}).click();
		await page.locator('.view .live[data-locked="true"]').waitFor();
		check('"Lock room" shows the room locked, with "Unlock room"',
			await page.getByRole('button', {name: 'Unlock room'}).isVisible());
		await shot(page, 'room-locked');
		signal('locked');

		await page.locator('#nav a', {hasText: 'Conference rooms'}).click();
		await roomRow(page).locator('[data-members="1"][data-locked="true"]').waitFor();
		ok('the rooms list shows 1 in room 800, locked');
		await page.locator('#nav a', {hasText: 'Dashboard'}).click();
		const inUse = page.locator('[data-stat="rooms"] .n');
		await inUse.waitFor();
		check('the dashboard counts 1 conference room in use', (await text(inUse)) === '1');
	},

	async unlock(page) {
		await open(page, `t/${T}/rooms/${ROOM}`, 'room');
		await page.getByRole('button', {name: 'Unlock room'}).click();
		await page.locator('.view .live[data-locked="false"]').waitFor();
		check('"Unlock room" opens the room again',
			await page.getByRole('button', {name: 'Lock room'}).isVisible());
	},

	// The rooms page and a room with someone in it, on a phone's screen.
	async phone(page) {
		await login(page, 'root', 'root-pass-1');
		await open(page, `t/${T}/rooms`, 'rooms');
		await roomRow(page).waitFor();
		await shot(page, 'phone-rooms');
		await looksRight(page, 'the rooms page on a phone', true);
		await open(page, `t/${T}/rooms/${ROOM}`, 'room');
		await member(page, '1002').waitFor();
		await shot(page, 'phone-room');
		await looksRight(page, 'a room with someone in it on a phone', true);
	},

	// After the last one left: the recording of the room plays in the
	// page and is deleted.
	async recordings(page) {
		await open(page, `t/${T}/rooms/${ROOM}`, 'room');
		await page.locator('.view .empty[data-table="members"]').waitFor();
		check('the room is empty now, and cannot be locked',
			await page.getByRole('button', {name: 'Lock room'}).isDisabled());
		const rec = page.locator('table[data-table="recordings"] tr[data-recording]');
		await rec.first().waitFor();
		check('the room has one recording', (await rec.count()) === 1);
		const audio = rec.locator('audio');
		const handle = await audio.elementHandle();
		await page.waitForFunction((a) => a.readyState >= 1 && a.duration > 0, handle, {timeout: WAIT_MS});
		const dur = await audio.evaluate((a) => a.duration);
		check(`its <audio> loaded the recording (${dur.toFixed(1)} s)`, dur > 3);
		const got = await page.evaluate(async (u) => {
			const r = await fetch(u, {credentials: 'same-origin'});
			const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, type: r.headers.get('Content-Type'),
				magic: String.fromCharCode(...b.slice(0, 4)) + String.fromCharCode(...b.slice(8, 12))};
		}, await audio.evaluate((a) => a.currentSrc));
		check('the audio address answers 200 audio/wav with a RIFF/WAVE file',
			got.status === 200 && got.type === 'audio/wav' && got.magic === 'RIFFWAVE', JSON.stringify(got));
		await audio.evaluate((a) => { a.muted = true; return a.play(); });
		await page.waitForFunction((a) => a.currentTime > 0.3, handle, {timeout: WAIT_MS});
		ok('the recording plays in the page (its time runs)');
		await audio.evaluate((a) => a.pause());
		await shot(page, 'room-recording');
		await rec.getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await page.locator('.view .empty[data-table="recordings"]').waitFor();
		ok('"Delete" removes the recording from the page');
	},

	async remove(page) {
		await open(page, `t/${T}/rooms`, 'rooms');
		await roomRow(page).getByRole('button', {name: 'Delete'}).click();
		await confirm(page);
		await roomRow(page).waitFor({state: 'detached'});
		ok('the room is deleted from the list');
	},
};
steps.phone.options = {viewport: VIEWPORTS.phone};

runSteps(steps);
