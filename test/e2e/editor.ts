/// <reference lib="dom" />
/**
 * The n8n editor in headless Chromium (Debian's package, driven by playwright-core): sign in, open
 * a workflow, open a node's parameter panel, and collect what a user would see as broken.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { SCREENSHOTS_DIR } from './harness';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`${CHROMIUM_PATH} is missing: apt-get install -y chromium (the CI script does it)`,
		);
	}
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
}

export async function signIn(
	page: Page,
	baseUrl: string,
	email: string,
	password: string,
): Promise<void> {
	// The first load of n8n's editor bundle in a fresh runtime can take well over 30 s on a busy
	// 2-core machine (seen once in CI): wait longer, and reload once if the form never appeared.
	const emailField = 'input[name=emailOrLdapLoginId]';
	await page.goto(`${baseUrl}/signin`, { timeout: 120000 });
	try {
		await page.waitForSelector(emailField, { timeout: 90000 });
	} catch {
		await page.goto(`${baseUrl}/signin`, { timeout: 120000 });
		await page.waitForSelector(emailField, { timeout: 90000 });
	}
	await page.fill(emailField, email);
	await page.fill('input[name=password]', password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60000 });
}

export function screenshotPath(name: string): string {
	fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	return path.join(SCREENSHOTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`);
}

export interface CanvasNodeView {
	name: string;
	type: string;
	/** Source of the node's icon image, if it is an image. */
	iconSrc?: string;
	/** Whether that image loaded (natural size > 0). */
	iconLoaded: boolean;
	/** Text of the node on the canvas (title, subtitle, issue markers). */
	text: string;
	/** Whether n8n marks the node with parameter/credential issues. */
	hasIssues: boolean;
}

export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id=canvas-node]', { timeout: 60000 });
	// Icons and node subtitles render after the node types load.
	await page.waitForLoadState('networkidle', { timeout: 30000 }).catch(() => undefined);
	await page.waitForTimeout(500);
}

export async function canvasNodes(page: Page): Promise<CanvasNodeView[]> {
	return page.$$eval('[data-test-id=canvas-node]', (elements) =>
		elements.map((element) => {
			const image = element.querySelector('img') as HTMLImageElement | null;
			return {
				name: element.getAttribute('data-node-name') ?? '',
				type: element.getAttribute('data-node-type') ?? '',
				iconSrc: image?.getAttribute('src') ?? undefined,
				iconLoaded: !!image && image.complete && image.naturalWidth > 0,
				text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(),
				hasIssues: !!element.querySelector('[data-test-id=node-issues]'),
			};
		}),
	);
}

export interface ParameterPanelView {
	title: string;
	/** Labels of the parameters shown. */
	parameterLabels: string[];
	/** Whether n8n marks a parameter or the node as having issues (a required value missing...). */
	hasIssues: boolean;
	/** Values of the panel's inputs (the selected credential's name is one). */
	inputValues: string[];
	/** The NDV header icon loaded. */
	iconLoaded: boolean;
	iconSrc?: string;
	/** Text that means the node is broken in this n8n (not installed, unknown type...). */
	problems: string[];
	text: string;
}

const BROKEN_NODE_TEXT = [
	/not currently installed/i,
	/Install this node/i,
	/Unrecognized node type/i,
	/node is not known/i,
	/Could not load/i,
	/Error loading/i,
	/There was a problem loading the parameter options/i,
	/Cannot read properties/i,
];

/** Double-clicks a node, reads its parameter panel (NDV), screenshots it, and closes it. */
export async function openParameterPanel(
	page: Page,
	nodeName: string,
	screenshot: string,
): Promise<ParameterPanelView> {
	const node = page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
	await node.dblclick();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor({ state: 'visible', timeout: 30000 });
	await page
		.locator('[data-test-id=node-parameters]')
		.waitFor({ state: 'visible', timeout: 30000 });
	await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => undefined);
	await page.waitForTimeout(700);
	const view = await page.evaluate(() => {
		const panel = document.querySelector('[data-test-id=ndv]') as HTMLElement;
		const params = document.querySelector('[data-test-id=node-parameters]') as HTMLElement;
		const header =
			panel.querySelector('[data-test-id=node-title-container]')?.parentElement ?? panel;
		const image = header.querySelector('img') as HTMLImageElement | null;
		return {
			title: (panel.querySelector('[data-test-id=node-title-container]')?.textContent ?? '').trim(),
			parameterLabels: Array.from(
				new Set(
					Array.from(
						params.querySelectorAll('[data-test-id=input-label] label, [data-test-id=input-label]'),
					)
						.map((label) =>
							(label.textContent ?? '')
								.replace(/\s+/g, ' ')
								.replace(/(Fixed)?Expression.*$/, '')
								.trim(),
						)
						.filter(Boolean),
				),
			),
			iconLoaded: !!image && image.complete && image.naturalWidth > 0,
			iconSrc: image?.getAttribute('src') ?? undefined,
			hasIssues: !!panel.querySelector(
				'[data-test-id=node-issues], [data-test-id=parameter-issues], .parameter-issues',
			),
			inputValues: Array.from(panel.querySelectorAll('input'))
				.map((input) => (input as HTMLInputElement).value)
				.filter(Boolean),
			text: (params.innerText ?? '').replace(/\s+/g, ' ').trim(),
		};
	});
	await page.screenshot({ path: screenshot });
	await page.locator('[data-test-id=ndv-close-button]').click();
	await ndv.waitFor({ state: 'hidden', timeout: 15000 }).catch(() => undefined);
	return {
		...view,
		problems: BROKEN_NODE_TEXT.filter((pattern) => pattern.test(view.text)).map(String),
	};
}

export interface FreshNodeView {
	nodeName: string;
	/** The credential the editor chose for the new node (the credential select's text). */
	credential: string;
	/** The first account list the node's pickers loaded: the request the editor sent and the values. */
	lists: Array<{ request: any; values: string[] }>;
}

/**
 * Adds a node as a user does (the canvas "+" button, search, pick the action), reads the credential
 * the editor chose, opens the first account picker and captures the list it loads, then closes the
 * panel. The workflow is left unsaved.
 */
export async function addFreshNode(
	page: Page,
	search: string,
	action: RegExp,
	screenshot: string,
): Promise<FreshNodeView> {
	const before = new Set((await canvasNodes(page)).map((node) => node.name));
	await page.locator('[data-test-id=node-creator-plus-button]').first().click();
	const searchBar = page.locator('[data-test-id=node-creator-search-bar]');
	await searchBar.waitFor({ state: 'visible', timeout: 30000 });
	await searchBar.fill(search);
	const ndv = page.locator('[data-test-id=ndv]');
	try {
		// A node with several actions opens its action list; every entry is an item-iterator-item.
		await page
			.locator('[data-test-id=item-iterator-item]', { hasText: search })
			.first()
			.click({ timeout: 30000 });
		await page
			.locator('[data-test-id=item-iterator-item]', { hasText: action })
			.first()
			.click({ timeout: 30000 });
		await ndv.waitFor({ state: 'visible', timeout: 30000 });
	} catch (error) {
		await page.screenshot({ path: screenshot.replace(/\.png$/, '--failed.png') });
		throw error;
	}
	await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => undefined);
	await page.waitForTimeout(700);
	const credential = await page
		.locator('[data-test-id=node-credentials-select] input')
		.first()
		.inputValue()
		.catch(() => '');
	const lists: Array<{ request: any; values: string[] }> = [];
	const onResponse = async (response: import('playwright-core').Response) => {
		if (!response.url().includes('/rest/dynamic-node-parameters/resource-locator-results')) return;
		const request = response.request().postDataJSON();
		const body = await response.json().catch(() => undefined);
		const results = (body?.data ?? body)?.results ?? [];
		lists.push({ request, values: results.map((r: { value: string }) => r.value) });
	};
	page.on('response', onResponse);
	await page.locator('[data-test-id=ndv] [data-test-id=rlc-input]').first().click();
	const deadline = Date.now() + 30000;
	while (lists.length === 0 && Date.now() < deadline) await page.waitForTimeout(250);
	page.off('response', onResponse);
	await page.screenshot({ path: screenshot });
	await page.keyboard.press('Escape');
	await page
		.locator('[data-test-id=ndv-close-button]')
		.click()
		.catch(() => undefined);
	await ndv.waitFor({ state: 'hidden', timeout: 15000 }).catch(() => undefined);
	await page.waitForTimeout(500);
	const added = (await canvasNodes(page)).find((node) => !before.has(node.name));
	return { nodeName: added?.name ?? '', credential, lists };
}
