/**
 * The Instagram engagement templates in a real n8n (the pinned runtime, this package installed the
 * Community Nodes way), against the simulator's instagram-engage world:
 * - comment-keyword-dm: the workflow is activated; the app's Instagram webhook is pointed at its
 *   production URL (the App Dashboard step the template's note asks for; Meta's handshake reaches
 *   n8n); a user comments MENU, the simulator posts the signed `comments` webhook, n8n answers with
 *   exactly one private reply; the same webhook again sends nothing; a comment without the keyword
 *   sends nothing; the same commenter's second MENU comment sends nothing (once per commenter).
 * - hide-comments-word-list: a comment with a blocked word is hidden.
 */
import { DEMO_OWNER, loadTemplates } from '../../scripts/lib/demo';
import { N8nRestClient, runN8nCliOrThrow, type N8nProcess } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator, WebhookEnvelope } from '../../simulator';
import { engageState, receiveComment } from '../../simulator/domains/instagramEngage';
import {
	importCredentials,
	importTriggerCredential,
	importWorkflows,
	loginWhenReady,
	prepareN8n,
	restExecution,
	testCopy,
	TRIGGER_CREDENTIAL,
	waitForExecutionCount,
	type TestN8n,
} from './harness';

const APP_ID = '1234567890123456';
const APP_TOKEN = `${APP_ID}|demo0app0secret0aurora0000000001`;
const POST_MENU = '17900000000000101';
const DM_SLUG = 'instagram-comment-keyword-dm';
const HIDE_SLUG = 'instagram-hide-comments-word-list';
const templates = loadTemplates();

let simulator: RunningSimulator;
let n8n: TestN8n;
let main: N8nProcess | undefined;
let rest: N8nRestClient;

function template(slug: string): any {
	const found = templates.find((t) => t.slug === slug);
	if (!found) throw new Error(`templates/${slug}.json is missing`);
	return found.workflow;
}

/** The template as shipped, but its trigger on the credential that holds the app secret (signature checks). */
function templateCopy(slug: string): any {
	const copy = testCopy(
		templates.find((t) => t.slug === slug)!,
		simulator,
	);
	for (const node of copy.nodes) {
		if (node.type.endsWith('.metaTrigger'))
			node.credentials = { metaBusinessAccessTokenApi: { ...TRIGGER_CREDENTIAL } };
	}
	return copy;
}

const triggerOf = (slug: string): any =>
	template(slug).nodes.find((n: any) => n.type.endsWith('.metaTrigger'));
const productionUrl = (slug: string): string =>
	`http://127.0.0.1:${n8n.port}/webhook/${triggerOf(slug).webhookId}/webhook`;

/**
 * The App Dashboard step: the app's `instagram` object (field `comments`) points at the workflow's
 * production URL. The simulator runs Meta's verification handshake against n8n first; right after
 * start the workflow may still be activating, so a refused handshake is retried for a while.
 */
async function pointAppAt(slug: string): Promise<void> {
	const deadline = Date.now() + 60000;
	for (;;) {
		const response = await fetch(`${simulator.baseUrl}/v26.0/${APP_ID}/subscriptions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${APP_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				object: 'instagram',
				callback_url: productionUrl(slug),
				verify_token: triggerOf(slug).parameters.verifyToken,
				fields: 'comments',
			}),
		});
		const body = (await response.json()) as any;
		if (response.status === 200) {
			expect(body).toEqual({ success: true });
			return;
		}
		if (Date.now() > deadline)
			throw new Error(`The app subscription was refused: ${JSON.stringify(body)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

const privateReplies = () =>
	engageState(simulator.control.world()).sent.filter((s) => s.kind === 'privateReply');

beforeAll(async () => {
	simulator = await startSimulator('instagram-engage', {
		settings: { webhookMaxAttempts: 2, webhookBaseDelayMs: 200 },
	});
	n8n = await prepareN8n('instagram-engage');
	await importCredentials(n8n, simulator);
	await importTriggerCredential(n8n, simulator);
	const workflows = [templateCopy(DM_SLUG), templateCopy(HIDE_SLUG)];
	await importWorkflows(n8n, workflows);
	for (const workflow of workflows)
		await runN8nCliOrThrow(n8n.runtime, n8n.env, ['publish:workflow', `--id=${workflow.id}`]);
	main = await n8n.start('start');
	await main.waitReady();
	rest = new N8nRestClient(main.baseUrl);
	await loginWhenReady(rest, DEMO_OWNER);
});

afterAll(async () => {
	await main?.stop();
	await simulator?.stop();
});

describe('Instagram engagement templates in real n8n', () => {
	it('comment a keyword, get the link by DM: one private reply per comment and commenter, never twice', async () => {
		const workflowId = template(DM_SLUG).id;
		await pointAppAt(DM_SLUG);
		expect(main!.logs).toMatch(/answered Meta's verification request/);
		const world = simulator.control.world();

		// 1. A user comments the keyword: the signed webhook reaches n8n, one private reply goes out.
		const first = await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'Menu please!',
			fromId: '6310000000000077',
			username: 'new.fan',
		});
		expect(first.deliveries.map((d) => [d.url, d.lastStatus])).toEqual([
			[productionUrl(DM_SLUG), 200],
		]);
		expect(first.deliveries[0].signature).toMatch(/^sha256=/);
		const executions = await waitForExecutionCount(rest, workflowId, 1);
		expect(executions.map((e) => e.status)).toEqual(['success']);
		const run = await restExecution(rest, executions[0].id, n8n.runtime);
		expect(run.outputs['Send the Link by DM']?.[0]).toEqual([
			expect.objectContaining({ commentId: first.comment.id }),
		]);
		expect(privateReplies()).toEqual([expect.objectContaining({ commentId: first.comment.id })]);
		expect(JSON.stringify(privateReplies()[0].body)).toContain('https://example.com/menu');
		expect(JSON.stringify(privateReplies()[0].body)).toContain('Hi new.fan!');

		// 2. Meta delivers the same webhook again: answered 200, dropped as a duplicate, nothing sent.
		const again = await simulator.control.emitWebhook(
			APP_ID,
			first.deliveries[0].body as WebhookEnvelope,
		);
		expect(again.deliveries.map((d) => d.lastStatus)).toEqual([200]);
		expect(await waitForExecutionCount(rest, workflowId, 1)).toHaveLength(1);
		expect(privateReplies()).toHaveLength(1);

		// 3. A comment without the keyword runs the workflow and sends nothing.
		await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'Looks lovely',
			fromId: '6310000000000078',
			username: 'other.fan',
		});
		const afterPlain = await waitForExecutionCount(rest, workflowId, 2);
		expect(afterPlain.map((e) => e.status)).toEqual(['success', 'success']);
		const plain = await restExecution(rest, afterPlain[1].id, n8n.runtime);
		expect(plain.outputs['Not a Keyword Comment']?.[0]).toHaveLength(1);
		expect(plain.runs['Send the Link by DM']).toBeUndefined();

		// 4. The same commenter comments the keyword again: once per commenter, nothing sent.
		await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'MENU again?',
			fromId: '6310000000000077',
			username: 'new.fan',
		});
		const afterRepeat = await waitForExecutionCount(rest, workflowId, 3);
		expect(afterRepeat.map((e) => e.status)).toEqual(['success', 'success', 'success']);
		const repeat = await restExecution(rest, afterRepeat[2].id, n8n.runtime);
		expect(repeat.outputs['Once per Commenter']?.[0] ?? []).toEqual([]);
		expect(privateReplies()).toHaveLength(1);
	});

	it('hide comments that match a word list: a blocked word hides the comment, others stay', async () => {
		const workflowId = template(HIDE_SLUG).id;
		// One callback URL per app and object: the app's Instagram webhook now goes to this workflow.
		await pointAppAt(HIDE_SLUG);
		const world = simulator.control.world();
		const spam = await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'Get CHEAP FOLLOWERS now',
			fromId: '6310000000000090',
			username: 'spam.bot',
		});
		expect(spam.deliveries.map((d) => [d.url, d.lastStatus])).toEqual([
			[productionUrl(HIDE_SLUG), 200],
		]);
		const executions = await waitForExecutionCount(rest, workflowId, 1);
		expect(executions.map((e) => e.status)).toEqual(['success']);
		expect(engageState(world).comments.get(spam.comment.id)?.hidden).toBe(true);
		expect(engageState(world).sent.filter((s) => s.kind === 'hide')).toEqual([
			expect.objectContaining({ commentId: spam.comment.id }),
		]);

		const kind = await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'Best cake ever',
			fromId: '6310000000000091',
			username: 'kind.fan',
		});
		expect(await waitForExecutionCount(rest, workflowId, 2)).toHaveLength(2);
		expect(engageState(world).comments.get(kind.comment.id)?.hidden).toBe(false);
		expect(engageState(world).sent.filter((s) => s.kind === 'hide')).toHaveLength(1);
	});
});
