/**
 * Every template, imported through n8n's CLI into a real n8n (the pinned runtime) with this package
 * installed the Community Nodes way, executed with `n8n execute`, against the simulator running
 * in this process. Asserts on each node's output and on the requests Meta (the simulator) received.
 *
 * Test copies differ from templates/ only where a CLI run needs it: the Schedule Trigger becomes a
 * Manual Trigger, Wait nodes wait 1 s, and sample media URLs point at the simulator's fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { getCheckDefinition } from '../../nodes/Meta/AssetCheck/checks/checkDefinitions';
import { META_ERROR_CATALOGUE, lookupMetaError } from '../../nodes/Meta/shared/errors';
import {
	DEMO_CREDENTIALS,
	demoScenario,
	loadScenario,
	loadTemplates,
	type Template,
} from '../../scripts/lib/demo';
import { PACKAGE_NAME, runN8nCliOrThrow } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import {
	describeRun,
	executeWorkflow,
	graphOperations,
	importCredentials,
	importWorkflows,
	prepareN8n,
	testCopy,
	type ExecutionResult,
	type GraphOperation,
	type TestN8n,
} from './harness';

const IG_ACCOUNT = '17841400000000001';
/** The account the demo scenario's Instagram Login token belongs to (no Facebook Page needed). */
const IG_LOGIN_ACCOUNT = '17841400000000002';
const PHONE_NUMBER = '106000000000001';
const demo = loadScenario('demo');
const SECRETS = [...demo.tokens.map((t) => t.token), ...demo.apps.map((a) => a.secret)];

const templates = loadTemplates();
const bySlug = (slug: string): Template => {
	const template = templates.find((t) => t.slug === slug);
	if (!template) throw new Error(`templates/${slug}.json is missing`);
	return template;
};

let simulator: RunningSimulator;
let n8n: TestN8n;

/** Every error headline one of our nodes put into an execution (thrown, or an error item). */
interface Headline {
	workflow: string;
	message: string;
	code?: number;
	subcode?: number;
}
const headlines: Headline[] = [];

/** `n8n execute`, keeping the error headlines our nodes produced in the run. */
async function runAndRecord(id: string): Promise<ExecutionResult> {
	const result = await executeWorkflow(n8n, id);
	const error = result.error;
	if (
		error?.message &&
		(String(error.node?.type ?? '').startsWith(`${PACKAGE_NAME}.`) || error.context?.meta)
	) {
		headlines.push({
			workflow: id,
			message: error.message,
			code: error.context?.meta?.code,
			subcode: error.context?.meta?.subcode,
		});
	}
	for (const outputs of Object.values(result.outputs)) {
		for (const item of outputs.flat()) {
			// The error item every node emits with Continue On Fail (metaErrorItem).
			if (
				typeof item?.error === 'string' &&
				['failed', 'unknown'].includes(item?.details?.status)
			) {
				headlines.push({
					workflow: id,
					message: item.error,
					code: item.details.code,
					subcode: item.details.subcode,
				});
			}
		}
	}
	return result;
}

beforeAll(async () => {
	// Video processing a little longer than the test copies' 1 s Wait: the reel loop turns at least once.
	simulator = await startSimulator('demo', { settings: { instagramVideoProcessingMs: 2500 } });
	n8n = await prepareN8n('templates');
	await importCredentials(n8n, simulator);
	await importWorkflows(n8n, [
		...templates.map((template) => testCopy(template, simulator, { waitSeconds: 1 })),
		...credentialVariants(),
	]);
});

/**
 * The reel template fed with binary data: an HTTP Request node downloads the video as a file, and
 * Create Reel Container uploads it with Meta's resumable upload (n8n's binary data handling).
 */
const BINARY_VIDEO_BYTES = 1_500_000;

function binaryReelVariant(): any {
	const workflow = testCopy(bySlug('instagram-reel-with-wait'), simulator, { waitSeconds: 1 });
	workflow.id = 'e2eBinaryReel';
	workflow.name = `${workflow.name} (binary video)`;
	const details = workflow.nodes.find((node: any) => node.name === 'Reel Details');
	const videoUrl = details.parameters.assignments.assignments.find(
		(a: any) => a.name === 'videoUrl',
	).value;
	details.parameters.assignments.assignments = details.parameters.assignments.assignments.filter(
		(a: any) => a.name !== 'videoUrl',
	);
	details.parameters.includeOtherFields = true;
	workflow.nodes.push({
		id: 'b1f0e2d4-6c1a-4c55-9c1e-2f3a4b5c6d7e',
		name: 'Download Video',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [330, 200],
		parameters: {
			url: `${videoUrl}&bytes=${BINARY_VIDEO_BYTES}`,
			options: {
				allowUnauthorizedCerts: true,
				response: { response: { responseFormat: 'file', outputPropertyName: 'video' } },
			},
		},
	});
	workflow.connections['Start'] = { main: [[{ node: 'Download Video', type: 'main', index: 0 }]] };
	workflow.connections['Download Video'] = {
		main: [[{ node: 'Reel Details', type: 'main', index: 0 }]],
	};
	const create = workflow.nodes.find((node: any) => node.name === 'Create Reel Container');
	create.parameters.mediaSource = 'binary';
	create.parameters.binaryPropertyName = 'video';
	delete create.parameters.mediaUrl;
	return workflow;
}

/** Template copies whose Meta nodes use the other two credential types. */
function credentialVariants(): any[] {
	const variant = (slug: string, id: string, change: (node: any) => void) => {
		const workflow = testCopy(bySlug(slug), simulator, { waitSeconds: 1 });
		workflow.id = id;
		workflow.name = `${workflow.name} (${id})`;
		for (const node of workflow.nodes) if (node.type.startsWith(`${PACKAGE_NAME}.`)) change(node);
		return workflow;
	};
	return [
		variant('whatsapp-appointment-reminders', 'e2eOAuth2Reminders', (node) => {
			node.parameters.authentication = 'oAuth2';
			node.credentials = { metaBusinessOAuth2Api: DEMO_CREDENTIALS.oAuth2 };
		}),
		binaryReelVariant(),
		// The second image's URL answers 404: Meta's 9004/2207052 on its container.
		(() => {
			const workflow = variant('instagram-carousel', 'e2eCarouselMissingImage', () => undefined);
			const publish = workflow.nodes.find((node: any) => node.name === 'Publish Carousel');
			const second = publish.parameters.carouselItems.items[1];
			second.mediaUrl = String(second.mediaUrl).replace(/\/[^/?]+\.jpg/, '/missing.jpg');
			return workflow;
		})(),
		variant('instagram-carousel', 'e2eIgLoginCarousel', (node) => {
			node.parameters.authentication = 'instagramLogin';
			node.parameters.instagramAccountId = { __rl: true, mode: 'id', value: IG_LOGIN_ACCOUNT };
			node.credentials = { metaBusinessInstagramLoginApi: DEMO_CREDENTIALS.instagramLogin };
		}),
	];
}

afterAll(async () => {
	await simulator?.stop();
});

beforeEach(() => {
	simulator.control.reset();
});

/** Runs a template's test copy and checks what holds for every successful run. */
async function runTemplate(
	slug: string,
): Promise<{ result: ExecutionResult; requests: GraphOperation[] }> {
	const result = await runAndRecord(bySlug(slug).workflow.id);
	const requests = graphOperations(simulator.control.requests());
	expect({
		status: result.status,
		run: result.status === 'success' ? '' : describeRun(result),
	}).toEqual({
		status: 'success',
		run: '',
	});
	expect(result.exitCode).toBe(0);
	for (const secret of SECRETS) expect(result.stdout).not.toContain(secret);
	return { result, requests };
}

function only(result: ExecutionResult, node: string, output = 0): any[] {
	const items = result.outputs[node]?.[output];
	if (!items) throw new Error(`node "${node}" did not run:\n${describeRun(result)}`);
	return items;
}

const posts = (requests: GraphOperation[], pathPattern: RegExp) =>
	requests.filter((r) => r.method === 'POST' && pathPattern.test(r.path));

describe('the package in n8n', () => {
	it('n8n lists our three nodes under the Community Nodes type names', async () => {
		const file = path.join(n8n.userFolder, 'nodes.json');
		await runN8nCliOrThrow(n8n.runtime, n8n.env, ['export:nodes', `--output=${file}`]);
		const names = (JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string }>).map(
			(n) => n.name,
		);
		expect(names).toEqual(
			expect.arrayContaining(
				['instagramPublish', 'whatsAppSend', 'metaAssetCheck'].map((n) => `${PACKAGE_NAME}.${n}`),
			),
		);
	});

	it('templates only use parameters our nodes define (n8n silently drops unknown ones)', async () => {
		const file = path.join(n8n.userFolder, 'nodes.json');
		if (!fs.existsSync(file))
			await runN8nCliOrThrow(n8n.runtime, n8n.env, ['export:nodes', `--output=${file}`]);
		const types = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{
			name: string;
			properties: any[];
		}>;
		const unknown: string[] = [];
		const checkKeys = (where: string, value: Record<string, unknown>, properties: any[]) => {
			for (const [key, inner] of Object.entries(value)) {
				const candidates = properties.filter((p) => p.name === key);
				if (candidates.length === 0) {
					unknown.push(`${where}.${key}`);
					continue;
				}
				// Several operations may each define their own `options`: any of them may hold the key.
				const collections = candidates.filter((p) => p.type === 'collection');
				if (collections.length && inner && typeof inner === 'object') {
					checkKeys(
						`${where}.${key}`,
						inner as any,
						collections.flatMap((c) => c.options),
					);
				}
				const fixed = candidates
					.filter((p) => p.type === 'fixedCollection')
					.flatMap((p) => p.options);
				if (fixed.length && inner && typeof inner === 'object') {
					for (const [group, entries] of Object.entries(inner as Record<string, unknown>)) {
						const values = fixed.filter((o: any) => o.name === group).flatMap((o: any) => o.values);
						if (!values.length) {
							unknown.push(`${where}.${key}.${group}`);
							continue;
						}
						for (const entry of ([] as any[]).concat(entries))
							checkKeys(`${where}.${key}.${group}`, entry, values);
					}
				}
			}
		};
		for (const template of templates) {
			for (const node of template.workflow.nodes.filter((n: any) =>
				n.type.startsWith(`${PACKAGE_NAME}.`),
			)) {
				const type = types.find((t) => t.name === node.type);
				expect(type).toBeDefined();
				checkKeys(`${template.slug}/${node.name}`, node.parameters, type!.properties);
			}
		}
		expect(unknown).toEqual([]);
	});

	it('has at least six templates, using only this package and n8n’s own nodes, without secrets', () => {
		expect(templates.length).toBeGreaterThanOrEqual(6);
		for (const template of templates) {
			const raw = fs.readFileSync(template.file, 'utf8');
			for (const secret of SECRETS) expect(raw).not.toContain(secret);
			const ids = new Set<string>();
			expect(template.workflow.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
			for (const node of template.workflow.nodes) {
				expect(node.type).toMatch(new RegExp(`^(n8n-nodes-base|${PACKAGE_NAME})\\.`));
				ids.add(node.id);
				for (const credential of Object.values<any>(node.credentials ?? {})) {
					expect(Object.keys(credential).sort()).toEqual(['id', 'name']);
				}
			}
			expect(ids.size).toBe(template.workflow.nodes.length);
			const notes = template.workflow.nodes.filter(
				(n: any) => n.type === 'n8n-nodes-base.stickyNote',
			);
			expect(notes.length).toBeGreaterThan(0);
			expect(notes.map((n: any) => n.parameters.content).join('\n')).toMatch(/Set up/);
		}
	});
});

describe('templates run end to end in real n8n against the simulator', () => {
	it('instagram-scheduled-posts: checks first, then publishes only today’s posts', async () => {
		const { result, requests } = await runTemplate('instagram-scheduled-posts');
		const [check] = only(result, 'Can We Publish?');
		expect(check).toMatchObject({ ready: true, instagramPublishing: true, failedChecks: [] });
		expect(only(result, 'Ready to Publish?', 1)).toHaveLength(0);
		expect(result.outputs['Stop: Not Ready']).toBeUndefined();
		expect(only(result, 'Posts')).toHaveLength(3);
		const published = only(result, 'Publish Image');
		expect(published).toHaveLength(2);
		for (const post of published) {
			expect(post.error).toBeUndefined();
			expect(post.mediaId).toMatch(/^\d+$/);
			expect(post.permalink).toMatch(/^https:\/\//);
		}

		const creates = posts(requests, new RegExp(`^/${IG_ACCOUNT}/media$`));
		expect(creates.map((r) => String(r.params.image_url).replace(/^.*\/fixtures\//, ''))).toEqual([
			'spring-menu.jpg?width=1080&height=1350',
			'barista.jpg?width=1080&height=1080',
		]);
		expect(creates.map((r) => r.params.caption)).toEqual([
			'Our spring menu is here! 🌸 #cafe #spring',
			'Meet Rui, our new barista ☕',
		]);
		expect(posts(requests, /\/media_publish$/)).toHaveLength(2);
		// The check ran before anything was created.
		expect(requests.findIndex((r) => r.path === '/debug_token')).toBeLessThan(
			requests.indexOf(creates[0]),
		);
	});

	it('instagram-scheduled-posts: when the check fails, nothing is created and the run stops with the reason', async () => {
		simulator.control.revokeToken(demo.tokens.find((t) => t.type === 'SYSTEM_USER')!.token, 460);
		const result = await runAndRecord(bySlug('instagram-scheduled-posts').workflow.id);
		expect(result.exitCode).toBe(1);
		expect(result.stdout + result.stderr).toMatch(/Instagram publishing is not ready: Not ready/);
		const requests = graphOperations(simulator.control.requests());
		expect(requests.length).toBeGreaterThan(0);
		expect(posts(requests, /\/media(_publish)?$/)).toHaveLength(0);
	});

	it('instagram-reel-with-wait: create, Wait/Get Status loop until ready, publish once', async () => {
		const { result, requests } = await runTemplate('instagram-reel-with-wait');
		const [created] = only(result, 'Create Reel Container');
		expect(created).toMatchObject({ containerType: 'reel', instagramAccountId: IG_ACCOUNT });
		expect(created.containerId).toMatch(/^\d+$/);
		// Processing takes 2.5 s and the test copy waits 1 s: the loop went round at least twice.
		expect(result.runs['Get Container Status']).toBeGreaterThanOrEqual(2);
		expect(result.runs['Wait 30 Seconds']).toBe(result.runs['Get Container Status']);
		expect(only(result, 'Get Container Status')[0]).toMatchObject({
			ready: true,
			statusCode: 'FINISHED',
		});
		const [reel] = only(result, 'Publish Reel');
		expect(reel).toMatchObject({ published: true });
		expect(reel.mediaId).toMatch(/^\d+$/);
		expect(result.outputs['Stop: Processing Failed']).toBeUndefined();

		const [create] = posts(requests, new RegExp(`^/${IG_ACCOUNT}/media$`));
		expect(create.params).toMatchObject({
			media_type: 'REELS',
			caption: '60 seconds behind the counter 🎬 #reels #cafe',
		});
		expect(String(create.params.video_url)).toContain('/fixtures/new-menu-reel.mp4');
		expect(String(create.params.share_to_feed)).toBe('true');
		const publishes = posts(requests, /\/media_publish$/);
		expect(publishes).toHaveLength(1);
		expect(String(publishes[0].params.creation_id)).toBe(created.containerId);
	});

	it('instagram-carousel: three children, one carousel, one publish', async () => {
		const { result, requests } = await runTemplate('instagram-carousel');
		const [post] = only(result, 'Publish Carousel');
		expect(post.error).toBeUndefined();
		expect(post.mediaId).toMatch(/^\d+$/);
		expect(only(result, 'Post Link')[0]).toEqual({
			mediaId: post.mediaId,
			permalink: post.permalink,
		});

		const creates = posts(requests, new RegExp(`^/${IG_ACCOUNT}/media$`));
		const children = creates.filter((r) => String(r.params.is_carousel_item) === 'true');
		const parents = creates.filter((r) => r.params.media_type === 'CAROUSEL');
		expect(children).toHaveLength(3);
		expect(children.filter((r) => r.params.media_type === 'VIDEO')).toHaveLength(1);
		expect(parents).toHaveLength(1);
		const childIds = String(parents[0].params.children).split(',');
		expect(childIds).toHaveLength(3);
		expect(parents[0].params.caption).toBe(
			'Three new pastries this week 🥐 Which one first? #bakery',
		);
		expect(posts(requests, /\/media_publish$/)).toHaveLength(1);
	});

	it('whatsapp-appointment-reminders: one approved template per appointment, numbers normalised', async () => {
		const { result, requests } = await runTemplate('whatsapp-appointment-reminders');
		const sent = only(result, 'Send Reminder');
		expect(sent.map((item) => [item.status, item.to, item.template])).toEqual([
			['accepted', '+351910000101', 'appointment_reminder'],
			['accepted', '+351910000102', 'appointment_reminder'],
			['accepted', '+351910000103', 'appointment_reminder'],
		]);
		for (const item of sent) expect(item.wamid).toMatch(/^wamid\./);

		const messages = posts(requests, new RegExp(`^/${PHONE_NUMBER}/messages$`));
		expect(messages).toHaveLength(3);
		const names = ['Ana', 'Bruno', 'Carla'];
		messages.forEach((message, index) => {
			const body = message.body as any;
			expect(body.type).toBe('template');
			expect(body.template.name).toBe('appointment_reminder');
			const parameters = body.template.components.find((c: any) => c.type === 'body').parameters;
			expect(parameters.map((p: any) => p.parameter_name)).toEqual([
				'customer_name',
				'date',
				'time',
			]);
			expect(parameters[0].text).toBe(names[index]);
		});
	});

	it('whatsapp-reply-with-template-fallback: both replies are accepted with their callback data; the closed window fails later, as a status (the template then follows: trigger.e2e.test.ts)', async () => {
		const { result, requests } = await runTemplate('whatsapp-reply-with-template-fallback');
		// Meta answers 200 for a closed window too: 131047 arrives afterwards in a failed status.
		expect(only(result, 'Reply', 0).map((i) => [i.status, i.to])).toEqual([
			['accepted', '+351910000101'],
			['accepted', '+351910000102'],
		]);
		expect(only(result, 'Reply', 1)).toHaveLength(0);
		expect(only(result, 'Replied')).toHaveLength(2);
		expect(result.outputs['Other Failures']).toBeUndefined();
		// A manual run starts at Start: the Meta Trigger branch runs only on Meta's webhooks.
		expect(result.outputs['Send Template Instead']).toBeUndefined();

		const messages = posts(requests, new RegExp(`^/${PHONE_NUMBER}/messages$`));
		expect(
			messages.map((m) => [(m.body as any).to, (m.body as any).type, m.errorCode ?? null]),
		).toEqual([
			['+351910000101', 'text', null],
			['+351910000102', 'text', null],
		]);
		expect(JSON.parse((messages[1].body as any).biz_opaque_callback_data)).toEqual({
			name: 'Bruno',
			order: '#1043',
			status: 'out for delivery',
		});
		const sent = simulator.control.world().state.whatsapp.sent as Array<{
			to: string;
			asyncError?: number;
		}>;
		expect(sent.map((m) => [m.to, m.asyncError ?? null])).toEqual([
			['351910000101', null],
			['351910000102', 131047],
		]);
	});

	it('meta-daily-health-check: all ready, no alert', async () => {
		const { result, requests } = await runTemplate('meta-daily-health-check');
		const [report] = only(result, 'Check Everything', 0);
		expect(report).toMatchObject({
			ready: true,
			instagramPublishing: true,
			whatsappMessaging: true,
			failedChecks: [],
		});
		expect(only(result, 'Check Everything', 1)).toHaveLength(0);
		expect(only(result, 'All Good')).toHaveLength(1);
		expect(result.outputs['Alert the Admin']).toBeUndefined();
		expect(posts(requests, /\/messages$/)).toHaveLength(0);
	});

	it('meta-daily-health-check: a broken setup alerts the admin and fails the run', async () => {
		for (const phone of simulator.control.world().phoneNumbers.values())
			phone.qualityRating = 'RED';
		const result = await runAndRecord(bySlug('meta-daily-health-check').workflow.id);
		expect(result.exitCode).toBe(1);
		expect(result.stdout + result.stderr).toMatch(/Meta setup check failed/);
		const [alert] = posts(
			graphOperations(simulator.control.requests()),
			new RegExp(`^/${PHONE_NUMBER}/messages$`),
		);
		expect(alert.status).toBe(200);
		expect((alert.body as any).to).toBe('+351910000101');
		expect((alert.body as any).text.body).toMatch(/Meta setup check failed[\s\S]*quality/i);
	});
});

describe('binary data in real n8n', () => {
	it('a video from an earlier node is uploaded with the resumable upload, then published across the Wait loop', async () => {
		const result = await runAndRecord('e2eBinaryReel');
		expect({
			status: result.status,
			run: result.status === 'success' ? '' : describeRun(result),
		}).toEqual({ status: 'success', run: '' });
		const [created] = only(result, 'Create Reel Container');
		expect(created).toMatchObject({ uploaded: true, containerType: 'reel' });
		expect(created.uploadedBytes).toBe(BINARY_VIDEO_BYTES);
		expect(only(result, 'Publish Reel')[0]).toMatchObject({ published: true });
		const requests = graphOperations(simulator.control.requests());
		const [create] = posts(requests, new RegExp(`^/${IG_ACCOUNT}/media$`));
		expect(create.params).toMatchObject({ media_type: 'REELS', upload_type: 'resumable' });
		expect(create.params.video_url).toBeUndefined();
		expect(requests.filter((r) => /ig-api-upload/.test(r.path))).toHaveLength(1);
		expect(posts(requests, /\/media_publish$/)).toHaveLength(1);
	});
});

describe('the other credential types work in real n8n', () => {
	const systemUserToken = demo.tokens.find((t) => t.type === 'SYSTEM_USER')!.token;

	it('Facebook Login (OAuth2 credential with a stored token) sends the reminders', async () => {
		// With the System User token revoked, only the OAuth2 credential's user token can succeed.
		simulator.control.revokeToken(systemUserToken, 460);
		const result = await runAndRecord('e2eOAuth2Reminders');
		expect({
			status: result.status,
			run: result.status === 'success' ? '' : describeRun(result),
		}).toEqual({ status: 'success', run: '' });
		expect(only(result, 'Send Reminder').map((item) => item.status)).toEqual([
			'accepted',
			'accepted',
			'accepted',
		]);
		expect(
			posts(graphOperations(simulator.control.requests()), /\/messages$/).every(
				(r) => r.status === 200,
			),
		).toBe(true);
	});

	it('Instagram Login (no Facebook Page) publishes the carousel', async () => {
		simulator.control.revokeToken(systemUserToken, 460);
		const result = await runAndRecord('e2eIgLoginCarousel');
		expect({
			status: result.status,
			run: result.status === 'success' ? '' : describeRun(result),
		}).toEqual({ status: 'success', run: '' });
		expect(only(result, 'Publish Carousel')[0].mediaId).toMatch(/^\d+$/);
		const requests = graphOperations(simulator.control.requests());
		expect(posts(requests, new RegExp(`^/${IG_LOGIN_ACCOUNT}/media_publish$`))).toHaveLength(1);
		expect(posts(requests, new RegExp(`^/${IG_ACCOUNT}/`))).toHaveLength(0);
	});
});

describe('headlines in our words', () => {
	// Runs last: the failure scenario below replaces the demo world.
	afterAll(() => simulator.control.reset(loadScenario('demo')));

	it('an image URL that answers 404 stops the carousel with "Media could not be fetched from the URL"', async () => {
		const result = await runAndRecord('e2eCarouselMissingImage');
		expect(result.status).not.toBe('success');
		expect(result.error?.message).toBe('Carousel item 2: Media could not be fetched from the URL');
		expect(String(result.error?.description)).toContain(
			'Meta says: Only photo or video can be accepted as media type.',
		);
		expect(String(result.error?.description)).not.toMatch(/binary/i);
		expect(posts(graphOperations(simulator.control.requests()), /\/media_publish$/)).toHaveLength(
			0,
		);
	});

	it('meta-daily-health-check in a failure scenario (fail-instagram-not-linked): the Not Ready branch, failures titled as failures', async () => {
		// The scenario with the demo tokens aliased into it, as `npm start -- --scenario` runs it.
		simulator.control.reset(demoScenario('fail-instagram-not-linked'));
		const result = await runAndRecord(bySlug('meta-daily-health-check').workflow.id);
		expect(result.outputs['Check Everything']?.[0] ?? []).toHaveLength(0);
		const [report] = only(result, 'Check Everything', 1);
		expect(report).toMatchObject({ ready: false, instagramPublishing: false });
		expect(Object.keys(report).slice(0, 3)).toEqual(['ready', 'summary', 'firstFailedCheck']);
		expect(report.summary).toMatch(/^Not ready: /);
		const failed = (report.checks as Array<{ id: any; status: string; title: string }>).filter(
			(c) => c.status === 'fail',
		);
		expect(failed.length).toBeGreaterThan(0);
		expect(report.firstFailedCheck).toBe(failed[0].id);
		for (const check of failed) {
			const titles = getCheckDefinition(check.id).titles;
			expect({ id: check.id, title: check.title }).toEqual({ id: check.id, title: titles.fail });
			expect(check.title).not.toBe(titles.pass);
		}
		expect(result.outputs['All Good']).toBeUndefined();
		expect(result.outputs['Compose Alert']).toBeDefined();
		// reset() without a scenario reloads the last one: back to the demo world.
		simulator.control.reset(loadScenario('demo'));
	});

	it('every error headline our nodes put into these runs is a catalogue title or our own words', () => {
		const titles = new Set(Object.values(META_ERROR_CATALOGUE).map((entry) => entry.title));
		expect(headlines.length).toBeGreaterThan(0);
		for (const headline of headlines) {
			// "Carousel item 2: ..." names the item before the title.
			const text = headline.message.replace(/^Carousel item \d+: /, '');
			const known =
				headline.code !== undefined ? lookupMetaError(headline.code, headline.subcode) : undefined;
			if (known) expect({ ...headline, text }).toEqual({ ...headline, text: known.title });
			else if (titles.has(text)) expect(titles.has(text)).toBe(true);
			// Not a catalogue code: our own NodeOperationError words, never Meta's "(#code) ..." text.
			else
				expect({ ...headline, text }).toEqual({
					...headline,
					text: expect.not.stringMatching(/^\(#\d+\)|OAuthException|GraphMethodException/),
				});
		}
	});
});
