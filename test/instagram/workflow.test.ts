/**
 * A workflow in process (Manual Trigger -> Instagram Publish -> No Op), several items of which
 * some are bad: every item comes out, in order, paired, and Meta received exactly what it should.
 */
import { runWorkflow } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	USER_TOKEN,
	credentialsFor,
	image,
	posts,
	requestsTo,
	startDemo,
	video,
} from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const workflow = (onError: 'continueRegularOutput' | 'stopWorkflow', retry = false) => ({
	name: 'Instagram queue',
	nodes: [
		{
			id: '1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		},
		{
			id: '2',
			name: 'Publish',
			type: 'n8n-nodes-meta-business.instagramPublish',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			onError,
			...(retry ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
			parameters: {
				authentication: 'accessToken',
				resource: 'post',
				operation: 'publishImage',
				instagramAccountId: { __rl: true, mode: 'id', value: IG_BUSINESS },
				mediaSource: 'url',
				mediaUrl: '={{ $json.url }}',
				caption: '={{ $json.caption }}',
				// Items without `alt` give '' (an expression giving undefined is refused, see validation.test.ts).
				options: { altText: "={{ $json.alt ?? '' }}" },
			},
		},
		{
			id: '3',
			name: 'Done',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [400, 0] as [number, number],
			parameters: {},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Publish', type: 'main' as const, index: 0 }]] },
		Publish: { main: [[{ node: 'Done', type: 'main' as const, index: 0 }]] },
	},
});

const items = () => [
	{ json: { url: image(sim), caption: 'Monday #coffee', alt: 'Coffee' } },
	{ json: { url: 'ftp://insecure.example.com/a.jpg', caption: 'Not a web address' } },
	{ json: { url: image(sim, 'width=1080&height=1920'), caption: 'Too tall' } },
	{ json: { url: image(sim, 'width=1080&height=1080'), caption: 'Tuesday', alt: 'Square' } },
	{ json: { url: 'https://127.0.0.1:1/missing.jpg', caption: 'Unreachable' } },
	{ json: { url: video(sim), caption: 'A video given as image' } },
];

it('publishes the good items and reports each bad one in place (Continue On Fail)', async () => {
	const { outputs, error } = await runWorkflow(workflow('continueRegularOutput'), {
		credentials: credentialsFor(sim),
		triggerItems: { Start: items() },
	});
	expect(error).toBeUndefined();
	const out = outputs.Done[0];
	expect(out).toHaveLength(6);
	expect(outputs.Publish[0].map((item) => item.pairedItem)).toEqual(
		[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
	);
	expect(out[0].json).toMatchObject({ published: true, mediaType: 'IMAGE' });
	expect(out[1].json).toMatchObject({
		error: expect.stringMatching(/^Image URL must start with https:\/\//),
		details: { itemIndex: 1 },
	});
	expect(out[2].json).toMatchObject({
		details: {
			status: 'failed',
			code: 36003,
			subcode: 2207009,
			fbtraceId: expect.any(String),
			itemIndex: 2,
		},
	});
	expect(out[3].json).toMatchObject({ published: true });
	expect(out[4].json).toMatchObject({ details: { code: 9004, subcode: 2207052, itemIndex: 4 } });
	expect(out[5].json).toMatchObject({ details: { code: 36001, subcode: 2207005, itemIndex: 5 } });
	for (const item of out.slice(1).filter((entry) => entry.json.error)) {
		// `message` says what to do: the hint for Meta's code, or the field to fix.
		expect(item.json.message).toEqual(expect.stringMatching(/\S/));
	}

	// What Meta received: 5 container requests (the ftp URL never left n8n), 2 publishes.
	const created = requestsTo(sim, 'POST', /\/media$/);
	expect(created.map((request) => request.params.caption)).toEqual([
		'Monday #coffee',
		'Too tall',
		'Tuesday',
		'Unreachable',
		'A video given as image',
	]);
	expect(created.map((request) => request.status)).toEqual([200, 400, 200, 400, 400]);
	expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(2);
	expect(posts(sim).map((post) => post.caption)).toEqual(['Monday #coffee', 'Tuesday']);
	expect(posts(sim).map((post) => post.altText)).toEqual(['Coffee', 'Square']);
	expect(JSON.stringify(outputs)).not.toContain(USER_TOKEN);
});

it('stops at the first bad item without Continue On Fail, having published nothing (every item is checked first)', async () => {
	const { error } = await runWorkflow(workflow('stopWorkflow'), {
		credentials: credentialsFor(sim),
		triggerItems: { Start: items() },
	});
	expect(error?.message).toMatch(/^Image URL must start with https/);
	expect(posts(sim).map((post) => post.caption)).toEqual([]);
	expect(sim.control.requests()).toEqual([]);
});

it('with Retry On Fail, re-runs the node without posting the first item again', async () => {
	const { error } = await runWorkflow(workflow('stopWorkflow', true), {
		credentials: credentialsFor(sim),
		triggerItems: { Start: items().slice(0, 3) },
	});
	expect(error?.message).toMatch(/^Image URL must start with https/);
	// Two attempts ran; each checked every item first, so nothing was posted (and nothing twice).
	expect(posts(sim).map((post) => post.caption)).toEqual([]);
	expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
});
