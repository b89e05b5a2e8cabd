// login.mjs - steps of test_login.sh: log-in and log-out, what each role
// sees, a session that ends.
import {URL, runSteps, ok, check, login, shot, open, submit, fieldError, Fatal} from './lib.mjs';

const text = async (loc) => (await loc.textContent()).trim();

const steps = {
	// Nobody logged in: every address shows the log-in page; a wrong
	// password and an empty name are said.
	async wrong(page) {
		const resp = await page.goto(`${URL}/#/t/acme.test/extensions`);
		const csp = resp.headers()['content-security-policy'] || '';
		check(`the panel is served with a strict Content-Security-Policy ("${csp}")`,
			/default-src 'self'/.test(csp) && !/unsafe-inline/.test(csp));
		await page.locator('form[data-form="login"]').waitFor();
		ok('an address of the panel shows the log-in page to someone not logged in');
		await shot(page, 'login');
		await submit(page, 'login', {username: '', password: 'x'});
		check('an empty username is said next to the username field',
			(await fieldError(page, 'login', 'username')) === 'enter your username');
		await submit(page, 'login', {username: 'root', password: 'not-the-password'});
		const err = page.locator('form[data-form="login"] .form-error');
		await err.waitFor({state: 'visible'});
		check('a wrong password is refused with "wrong username or password"',
			/wrong username or password/.test(await text(err)), await text(err));
		await shot(page, 'login-wrong');
	},

	// The superadmin picks a tenant and sees every admin page.
	async root(page) {
		await login(page, 'root', 'root-pass-1');
		await page.locator('.view[data-page="tenants"]').waitFor();
		ok('the superadmin lands on the tenants page');
		const nav = await page.locator('#nav a').allTextContents();
		check('the superadmin\'s menu has Tenants and the audit log, no tenant pages before one is picked',
			nav.includes('Tenants') && nav.includes('Audit log') && !nav.includes('Extensions'), nav.join(', '));
		await page.locator('#tenant-select').selectOption('acme.test');
		await page.locator('.view[data-page="dashboard"]').waitFor();
		const nav2 = await page.locator('#nav a').allTextContents();
		check('after picking acme.test the menu has its pages',
			['Dashboard', 'Extensions', 'Registrations', 'Live calls', 'IVR', 'Routes', 'Call records', 'Users']
				.every((x) => nav2.includes(x)), nav2.join(', '));
		check('the dashboard is about acme.test',
			(await text(page.locator('h1'))).includes('acme.test'));
	},

	// A tenant admin: its tenant only, no tenants page, no picker.
	async admin(page) {
		await login(page, 'adma', 'adma-pass-1');
		await page.locator('.view[data-page="dashboard"]').waitFor();
		ok('a tenant admin lands on its dashboard');
		const nav = await page.locator('#nav a').allTextContents();
		check('its menu has no Tenants', !nav.includes('Tenants') && nav.includes('Extensions'), nav.join(', '));
		check('it has no tenant picker', await page.locator('#tenant-pick').isHidden());
		await open(page, 't/beta.test/extensions', 'extensions');
		const e = page.locator('.view .flash.error');
		await e.waitFor();
		check('another tenant\'s extensions are "no such tenant"', (await text(e)) === 'no such tenant', await text(e));
	},
	// An extension user: only its own extension page.
	async user(page) {
		await login(page, 'ua', 'ua-pass-123');
		await page.locator('.view[data-page="extension"]').waitFor();
		check('a user lands on its own extension',
			page.url().endsWith('#/t/acme.test/extensions/1001'), page.url());
		const nav = await page.locator('#nav a').allTextContents();
		check('its menu has only "My extension"', nav.length === 1 && nav[0] === 'My extension', nav.join(', '));
		check('it has a voicemail inbox', await page.locator('ul.messages').isVisible());
		check('it cannot rename or delete the extension, nor set its calls at once',
			(await page.locator('form[data-form="ext-edit"]').count()) === 0 &&
			(await page.locator('[name="max_calls"]').count()) === 0 &&
			(await page.getByRole('button', {name: 'Delete extension'}).count()) === 0);
		// The page is put in at once: with its password form it is whole.
		await page.locator('form[data-form="ext-password"]').waitFor();
		check('nor sees or sets its class of service, own DID or recording',
			(await page.locator('.view [name="cos"], .view [name="did"], .view [name="record"]').count()) === 0 &&
			!/Class of service|Own DID|Recording/.test(await page.locator('.view').innerText()),
			await page.locator('.view label').allTextContents().then((l) => l.join(', ')));
		await shot(page, 'user-own-extension');
		await submit(page, 'ext-password', {password: 'short'});
		const why = await fieldError(page, 'ext-password', 'password');
		check('a too short SIP password is said next to the password field', /8 to 127/.test(why), why);
		await submit(page, 'ext-password', {password: 'a-new-sip-pass-1'});
		await page.locator('.flash.ok', {hasText: 'Password changed'}).waitFor();
		ok('the user changed its SIP password');

		await open(page, 't/acme.test/extensions', 'extensions');
		const e = page.locator('.view .flash.error');
		await e.waitFor();
		check('the extension list says the user\'s role may not open it', /role \(user\)/.test(await text(e)), await text(e));
		await open(page, 't/acme.test/extensions/1002', 'extension');
		await e.waitFor();
		check('another extension is "no such extension"', (await text(e)) === 'no such extension', await text(e));
	},
};
steps.user.options = {as: 'user'};
steps.admin.options = {as: 'adma'};
steps.wrong.options = {as: 'nobody'};

Object.assign(steps, {
	// The session ends under the page (expired, or the daemon restarted):
	// the next request shows the log-in page, and logging in again goes
	// back where the user was.
	async expire(page, args, {context}) {
		await open(page, 't/acme.test/extensions', 'extensions');
		ok('a saved session is restored from GET /api/v1/me after a new start of the page');
		await context.clearCookies();
		await page.locator('input[type="search"]').fill('100');
		await page.locator('form[data-form="login"]').waitFor();
		const n = page.locator('.login .flash');
		check('a request without a session brings the log-in page, saying why',
			/session has ended/.test(await text(n)), await text(n));
		await login(page, 'root', 'root-pass-1');
		await page.locator('.view[data-page="extensions"]').waitFor();
		check('logging in again goes back to the extensions page',
			page.url().includes('#/t/acme.test/extensions'), page.url());
	},

	// Five wrong passwords from one address or for one name lock it out
	// for a while: the next try is told to wait. Last step: nothing can
	// log in from here afterwards.
	async throttle(page) {
		await page.goto(`${URL}/#/login`);
		const err = page.locator('form[data-form="login"] .form-error');
		const said = [];
		for (let i = 1; i <= 8 && !/too many/.test(said.at(-1) || ''); i++) {
			await submit(page, 'login', {username: 'adma', password: `wrong-${i}`});
			await page.waitForFunction(() => {
				const f = document.querySelector('form[data-form="login"]');
				return !f.querySelector('button[type="submit"]').disabled && !f.querySelector('.form-error').hidden;
			});
			said.push(await text(err));
		}
		check(`wrong passwords are refused, then the next try is told to wait ("${said.at(-1)}")`,
			/wrong username/.test(said[0]) && /too many failed log-ins; try again in \d+ s/.test(said.at(-1)),
			said.join(' | '));
		await shot(page, 'login-throttled');
	},

	async logout(page) {
		await open(page, 't/acme.test/dashboard', 'dashboard');
		await page.locator('#logout').click();
		await page.locator('form[data-form="login"]').waitFor();
		ok('log out shows the log-in page');
		const st = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
		check('after log-out the session is gone (GET /api/v1/me is 401)', st === 401, String(st));
		await page.goto(`${URL}/#/t/acme.test/dashboard`);
		await page.locator('form[data-form="login"]').waitFor();
		ok('the dashboard address shows the log-in page again');
	},
});

runSteps(steps);
