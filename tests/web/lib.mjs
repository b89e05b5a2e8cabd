// lib.mjs - what the browser tests share: headless Debian chromium driven
// by playwright-core, one check per line in the shell tests' format, and
// screenshots into $WEB_OUT.
//
// A test script is a set of named steps; the shell test runs one step per
// `node SCRIPT.mjs STEP [ARGS...]` (tests/web/lib.sh: web_step), between
// the things it does with real phones. A step opens a new browser and
// carries the log-in over from the previous step in $WEB_STATE (cookies:
// the panel restores its session from GET /api/v1/me, as after a reload).
//
// Environment (set by lib.sh): PANEL_URL, WEB_OUT (screenshots), WEB_TEST
// (their name prefix), WEB_STATE (a path prefix for the saved log-ins),
// WEB_COUNTS (checks and failures are
// added to it for the shell test's total).
import fs from 'node:fs';
import path from 'node:path';
import {chromium} from 'playwright-core';

export const URL = process.env.PANEL_URL || 'http://127.0.0.1:8080';
const OUT = process.env.WEB_OUT || '.';
const TEST = process.env.WEB_TEST || 'web';
const STATE = process.env.WEB_STATE || '';
const COUNTS = process.env.WEB_COUNTS || '';
// A step waits this long for one thing to show (the daemon may be an ASan
// build on a busy 2-core machine).
export const WAIT_MS = Number(process.env.WEB_WAIT_MS || 15000);

let checks = 0, fails = 0;

function record() {
	if (COUNTS)
		fs.appendFileSync(COUNTS, `${checks} ${fails}\n`);
	checks = fails = 0;
}

export function ok(what) {
	checks++;
	console.log(`  ok   ${what}`);
}

export function fail(what, detail = '') {
	checks++;
	fails++;
	console.log(`  FAIL ${what}${detail ? `: ${detail}` : ''}`);
}

export function info(what) {
	console.log(`  ..   ${what}`);
}

// check(what, cond, detail)
export function check(what, cond, detail = '') {
	if (cond)
		ok(what);
	else
		fail(what, detail);
	return !!cond;
}

// A step that cannot go on: the message is the failure.
export class Fatal extends Error {}

export const VIEWPORTS = {
	laptop: {width: 1366, height: 768},
	phone: {width: 390, height: 844},
};

// Tells the shell test (web_wait_signal NAME) that the step got there,
// e.g. that the page is open and watching before a phone registers.
export function signal(name) {
	if (STATE)
		fs.writeFileSync(`${STATE}-${name}.signal`, '');
}

// Each log-in a test uses (admin, user ...) is kept in its own file.
function stateFile(as) {
	return STATE ? `${STATE}-${as}.json` : '';
}

// The browser, a context (with the saved log-in) and a page. Console
// errors, uncaught exceptions and Content-Security-Policy refusals are
// collected in page.problems: a step ends with none of them.
export async function launch({viewport = VIEWPORTS.laptop, as = 'admin'} = {}) {
	const state = stateFile(as);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu',
			'--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--autoplay-policy=no-user-gesture-required'],
	});
	const opts = {viewport, acceptDownloads: true};
	if (state && fs.existsSync(state))
		opts.storageState = state;
	const context = await browser.newContext(opts);
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT_MS);
	page.problems = [];
	// Errors the test causes on purpose (a 401 or 422 answer, shown in
	// the page) are logged by chromium as failed resources: those are
	// not the page's faults.
	page.on('console', (m) => {
		if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|403|404|409|422|429)/.test(m.text()))
			page.problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
	// Every file of the panel itself must load.
	page.on('response', (r) => {
		if (r.status() >= 400 && !new globalThis.URL(r.url()).pathname.startsWith('/api/'))
			page.problems.push(`${r.status()} for ${r.url()}`);
	});
	return {browser, context, page};
}

export async function shot(page, name) {
	fs.mkdirSync(OUT, {recursive: true});
	const file = path.join(OUT, `${TEST}-${name}.png`);
	await page.screenshot({path: file, fullPage: true});
	return file;
}

// Opens #/HASH and waits for the page module's view to be there.
export async function open(page, hash, pageName) {
	await page.goto(`${URL}/#/${hash}`);
	if (pageName)
		await page.locator(`.view[data-page="${pageName}"]`).waitFor();
}

// Logs in through the form (any earlier session of this browser is
// dropped first); waits for the first page after it.
export async function login(page, user, password) {
	await page.context().clearCookies();
	await page.goto(`${URL}/#/login`);
	const f = page.locator('form[data-form="login"]');
	await f.locator('input[name="username"]').fill(user);
	await f.locator('input[name="password"]').fill(password);
	await f.locator('button[type="submit"]').click();
	await page.locator('#top:not([hidden])').waitFor();
	await page.locator('.view:not([data-page="login"])').waitFor();
}

// The error shown next to field NAME of form FORM ('' when none).
export async function fieldError(page, form, name) {
	const e = page.locator(`form[data-form="${form}"] [data-error-for="${name}"]`);
	await e.waitFor({state: 'visible'});
	return (await e.textContent()).trim();
}

// Fills a form's fields ({name: value}; selects by value, checkboxes by
// boolean) and submits it.
export async function submit(page, form, values) {
	const f = page.locator(`form[data-form="${form}"]`);
	for (const [name, v] of Object.entries(values)) {
		const i = f.locator(`[name="${name}"]`);
		const tag = await i.evaluate((el) => el.tagName + ':' + (el.type || ''));
		if (tag.startsWith('SELECT'))
			await i.selectOption(String(v));
		else if (tag.endsWith(':checkbox'))
			await i.setChecked(!!v);
		else
			await i.fill(String(v));
	}
	await f.locator('button[type="submit"]').click();
}

// Adds an option VALUE to the select at `loc` (a locator): a select
// offers only good values, so this is how a test makes the page send a
// bad one and sees where the daemon's refusal is shown.
export async function addOption(loc, value) {
	await loc.evaluate((s, v) => s.append(new Option(v, v)), value);
}

// Answers the panel's confirm dialog with its OK button.
export async function confirm(page) {
	const ok = page.locator('#confirm[open] #confirm-ok');
	await ok.click();
}

// Runs the step named by argv[2] from `steps` ({name: async (page,
// args, ctx) => ...}). The log-in state is saved after it; a failed step
// leaves a screenshot NAME-failed.png. Exit status 1 if a check failed.
export async function runSteps(steps) {
	const [name, ...args] = process.argv.slice(2);
	const fn = steps[name];
	if (!fn) {
		console.error(`unknown step '${name}' (known: ${Object.keys(steps).join(', ')})`);
		process.exit(2);
	}
	const ctx = await launch(fn.options || {});
	const {browser, context, page} = ctx;
	try {
		await fn(page, args, ctx);
	} catch (err) {
		fail(`step ${name} stopped`, err instanceof Fatal ? err.message : err.stack || err.message);
		await shot(page, `${name}-failed`).catch(() => {});
	}
	if (page.problems.length)
		fail(`the page logged no errors during ${name}`, page.problems.join('; '));
	const state = stateFile(fn.options?.as || 'admin');
	if (state)
		await context.storageState({path: state}).catch(() => {});
	await browser.close();
	const failed = fails;
	record();
	process.exit(failed ? 1 : 0);
}
