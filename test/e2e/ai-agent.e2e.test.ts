/**
 * Our nodes as tools of n8n's AI Agent, in the real n8n (the pinned runtime) with this package
 * installed the Community Nodes way, against the simulator.
 *
 * No real model is reachable here, so the agent's OpenAI Chat Model points (through an OpenAI
 * credential's Base URL) at a scripted OpenAI-compatible server (fixtures/scripted-llm.ts). The
 * "model" reads the tools n8n offers, checks the Instagram account with Meta Asset Check, sends a
 * WhatsApp text and publishes an image with Instagram Publish, each through tool calls whose
 * arguments reach our nodes as `$fromAI(...)` values, then answers with a final text built from
 * the tool results. The test asserts what the model was offered, what Meta (the simulator)
 * received, and what the agent answered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_CREDENTIALS, loadScenario } from '../../scripts/lib/demo';
import { PACKAGE_NAME, parseRawOutput, runN8nCliOrThrow } from '../../scripts/lib/n8n';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import {
	startScriptedModel,
	textOf,
	type ChatRequest,
	type ModelTool,
	type Script,
	type ScriptedModel,
} from './fixtures/scripted-llm';
import {
	describeRun,
	executeWorkflow,
	graphOperations,
	importCredentials,
	importWorkflows,
	prepareN8n,
	type ExecutionResult,
	type GraphOperation,
	type TestN8n,
} from './harness';

const IG_ACCOUNT = '17841400000000001';
const PHONE_NUMBER_ID = '106000000000001';
/** Ana, a demo contact inside the 24-hour window (a free-form text reaches her). */
const RECIPIENT = '+351 910 000 101';
const RECIPIENT_WA_ID = '351910000101';
/** What the scripted model chooses to write and post. */
const MESSAGE = 'Hi Ana, our spring menu is live today. Come by for a taste! 🌸';
const CAPTION = 'Spring menu, now serving. #cafe #spring';
const WORKFLOW_ID = 'e2eAiAgentTools';
const demo = loadScenario('demo');
const SECRETS = [...demo.tokens.map((t) => t.token), ...demo.apps.map((a) => a.secret)];
const MODEL_API_KEY = 'sk-scripted-e2e-key';

/** Node names in the workflow; n8n derives the tool names from them (spaces become `_`). */
const NODES = {
	agent: 'AI Agent',
	check: 'Meta Asset Check',
	whatsApp: 'WhatsApp Send',
	instagram: 'Instagram Publish',
};
const TOOL_NAMES = {
	check: 'Meta_Asset_Check',
	whatsApp: 'WhatsApp_Send',
	instagram: 'Instagram_Publish',
};

let simulator: RunningSimulator;
let model: ScriptedModel;
let n8n: TestN8n;
let imageUrl: string;

const fromAI = (key: string, description: string) =>
	`={{ $fromAI('${key}', '${description}', 'string') }}`;

/**
 * The model's side of the conversation. One step per tool result already in the conversation, so
 * a retried request gets the same answer: check, send, publish, then the final answer quoting
 * the ids the tools returned. The image URL is taken from the prompt, as a model would.
 */
const script: Script = (request, tools) => {
	const byName = (name: string) => tools.find((tool) => tool.name === name);
	const missing = Object.values(TOOL_NAMES).filter((name) => !byName(name));
	if (missing.length)
		throw new Error(
			`tools ${missing.join(', ')} not offered; got ${tools.map((t) => t.name).join(', ')}`,
		);
	const prompt = request.messages
		.filter((m) => m.role === 'user')
		.map((m) => textOf(m.content))
		.join('\n');
	const url = /https:\/\/\S+\.jpg\S*/.exec(prompt)?.[0];
	if (!url) throw new Error(`no image URL in the prompt: ${prompt}`);
	const results = request.messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
	switch (results.length) {
		case 0:
			return {
				toolCalls: [{ name: TOOL_NAMES.check, arguments: { instagram_account_id: IG_ACCOUNT } }],
			};
		case 1:
			if (!/"ready":\s*true/.test(results[0]))
				throw new Error(`the check did not say ready: ${results[0].slice(0, 500)}`);
			return {
				toolCalls: [
					{ name: TOOL_NAMES.whatsApp, arguments: { recipient: RECIPIENT, message: MESSAGE } },
				],
			};
		case 2:
			return {
				toolCalls: [
					{ name: TOOL_NAMES.instagram, arguments: { image_url: url, caption: CAPTION } },
				],
			};
		default: {
			const wamid = /wamid\.[A-Za-z0-9_=+/-]+/.exec(results[1])?.[0];
			const mediaId = /"mediaId":\s*"(\d+)"/.exec(results[2])?.[1];
			if (!wamid || !mediaId)
				throw new Error(
					`no wamid or media id in the results: ${results.slice(1).join(' | ').slice(0, 800)}`,
				);
			return {
				text: `All done: the account can publish, WhatsApp message ${wamid} went to Ana, Instagram post ${mediaId} is live.`,
			};
		}
	}
};

function agentWorkflow(): any {
	const metaCredentials = { metaBusinessAccessTokenApi: DEMO_CREDENTIALS.accessToken };
	const tool = (name: string, type: string, position: [number, number], parameters: object) => ({
		id: `a1a1a1a1-0000-4000-8000-${String(position[0]).padStart(12, '0')}`,
		name,
		type: `${PACKAGE_NAME}.${type}Tool`,
		typeVersion: 1,
		position,
		parameters: { authentication: 'accessToken', ...parameters },
		credentials: metaCredentials,
	});
	return {
		id: WORKFLOW_ID,
		name: 'AI Agent with Meta tools (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1a1a1a1-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a1a1a1a1-0000-4000-8000-000000000002',
				name: NODES.agent,
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text:
						`Check that Instagram account ${IG_ACCOUNT} can publish. Then tell Ana (${RECIPIENT}) on WhatsApp ` +
						`that the spring menu is live, and publish this photo of it on Instagram: ${imageUrl}`,
					options: {
						systemMessage:
							'You run Cafe Aurora’s social media. Use the tools; check before you publish.',
					},
				},
			},
			{
				id: 'a1a1a1a1-0000-4000-8000-000000000003',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [100, 220],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' },
					// The Chat Completions API (the Responses API is the 1.3 default; the scripted server speaks the former).
					responsesApiEnabled: false,
					options: { maxRetries: 0 },
				},
				credentials: { openAiApi: { id: 'e2eScriptedModel', name: 'Scripted model (e2e)' } },
			},
			tool(NODES.check, 'metaAssetCheck', [260, 220], {
				operation: 'checkInstagramPublishing',
				instagramAccountId: {
					__rl: true,
					mode: 'id',
					value: fromAI('instagram_account_id', 'The id of the Instagram account to check'),
				},
				options: {},
			}),
			tool(NODES.whatsApp, 'whatsAppSend', [400, 220], {
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: { __rl: true, mode: 'id', value: PHONE_NUMBER_ID },
				to: fromAI('recipient', 'The phone number to write to, in international format'),
				text: fromAI('message', 'The text of the WhatsApp message'),
				options: {},
			}),
			tool(NODES.instagram, 'instagramPublish', [540, 220], {
				resource: 'post',
				operation: 'publishImage',
				instagramAccountId: { __rl: true, mode: 'id', value: IG_ACCOUNT },
				mediaSource: 'url',
				mediaUrl: fromAI('image_url', 'The public URL of the JPEG image to publish'),
				caption: fromAI('caption', 'The caption of the post'),
				options: {},
			}),
		],
		connections: {
			Start: { main: [[{ node: NODES.agent, type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: NODES.agent, type: 'ai_languageModel', index: 0 }]],
			},
			[NODES.check]: { ai_tool: [[{ node: NODES.agent, type: 'ai_tool', index: 0 }]] },
			[NODES.whatsApp]: { ai_tool: [[{ node: NODES.agent, type: 'ai_tool', index: 0 }]] },
			[NODES.instagram]: { ai_tool: [[{ node: NODES.agent, type: 'ai_tool', index: 0 }]] },
		},
	};
}

let result: ExecutionResult;
let operations: GraphOperation[];

beforeAll(async () => {
	simulator = await startSimulator('demo');
	model = await startScriptedModel(script);
	imageUrl = `${simulator.fixturesBaseUrl.replace(/\/+$/, '')}/fixtures/spring-menu.jpg?width=1080&height=1350`;
	n8n = await prepareN8n('ai-agent');
	await importCredentials(n8n, simulator);
	const modelCredential = path.join(n8n.userFolder, 'model-credential.json');
	fs.writeFileSync(
		modelCredential,
		JSON.stringify([
			{
				id: 'e2eScriptedModel',
				name: 'Scripted model (e2e)',
				type: 'openAiApi',
				data: { apiKey: MODEL_API_KEY, url: model.baseUrl, header: false },
			},
		]),
	);
	await runN8nCliOrThrow(n8n.runtime, n8n.env, [
		'import:credentials',
		`--input=${modelCredential}`,
	]);
	await importWorkflows(n8n, [agentWorkflow()]);
	simulator.control.clearRequests();
	result = await executeWorkflow(n8n, WORKFLOW_ID);
	operations = graphOperations(simulator.control.requests());
	// Kept in the user folder (until the next run) for a look after a failure.
	fs.writeFileSync(path.join(n8n.userFolder, 'execution.log'), result.stdout + result.stderr);
	fs.writeFileSync(
		path.join(n8n.userFolder, 'model-requests.json'),
		JSON.stringify(model.requests, null, 1),
	);
});

afterAll(async () => {
	await model?.stop();
	await simulator?.stop();
});

/**
 * What a tool node received from the agent (the model's arguments) and returned, from the
 * execution's run data: a node run as a tool keeps both under `ai_tool`, not `main`.
 */
function toolRun(node: string): { input: any[]; output: any[] } {
	const runs = parseRawOutput(result.stdout)?.data?.resultData?.runData?.[node];
	if (!runs?.length) throw new Error(`tool node "${node}" did not run:\n${explain()}`);
	const last = runs[runs.length - 1];
	const json = (items: any[] | undefined) => (items ?? []).map((item) => item.json);
	return { input: json(last.inputOverride?.ai_tool?.[0]), output: json(last.data?.ai_tool?.[0]) };
}

/** The run, the model's conversation and the simulator's log, for an assertion message. */
function explain(): string {
	return [
		describeRun(result),
		`model replies: ${JSON.stringify(model.replies)}`,
		`other model requests: ${JSON.stringify(model.otherRequests)}`,
		`Graph: ${operations.map((op) => `${op.method} ${op.path} ${op.status}`).join(', ')}`,
	].join('\n');
}

const firstRequest = (): ChatRequest => {
	if (!model.requests.length) throw new Error(`n8n never called the model:\n${explain()}`);
	return model.requests[0];
};
const offered = (name: string): ModelTool => {
	const tool = firstRequest()
		.tools?.map((t) => t.function)
		.find((t) => t.name === name);
	if (!tool) throw new Error(`tool ${name} was not offered:\n${explain()}`);
	return tool;
};

describe('our nodes as tools of n8n’s AI Agent (real n8n, scripted model, simulator)', () => {
	it('the agent ran: check, send, publish, then the final answer quoting what the tools returned', () => {
		expect({ status: result.status, exitCode: result.exitCode }).toEqual({
			status: 'success',
			exitCode: 0,
		});
		expect(model.otherRequests).toEqual([]);
		// Four model turns: three tool calls, one answer; no script step failed.
		expect(
			model.replies.map((r) =>
				'text' in r ? (r.text.startsWith('SCRIPT ERROR') ? r.text : 'answer') : r.toolCalls[0].name,
			),
		).toEqual([TOOL_NAMES.check, TOOL_NAMES.whatsApp, TOOL_NAMES.instagram, 'answer']);
		for (const node of [NODES.check, NODES.whatsApp, NODES.instagram])
			expect({ node, runs: result.runs[node] }).toEqual({ node, runs: 1 });

		const [answer] = result.outputs[NODES.agent]?.[0] ?? [];
		if (!answer) throw new Error(`the agent gave no output:\n${explain()}`);
		const check = toolRun(NODES.check);
		const whatsApp = toolRun(NODES.whatsApp);
		const instagram = toolRun(NODES.instagram);
		// Each tool got the model's arguments as its $fromAI values.
		expect(check.input).toEqual([{ instagram_account_id: IG_ACCOUNT }]);
		expect(whatsApp.input).toEqual([{ recipient: RECIPIENT, message: MESSAGE }]);
		expect(instagram.input).toEqual([{ image_url: imageUrl, caption: CAPTION }]);
		expect(check.output).toHaveLength(1);
		expect(check.output[0]).toMatchObject({
			ready: true,
			instagramPublishing: true,
			failedChecks: [],
		});
		const [sent] = whatsApp.output;
		const [published] = instagram.output;
		expect(whatsApp.output).toHaveLength(1);
		expect(sent).toMatchObject({ status: 'accepted', waId: RECIPIENT_WA_ID, type: 'text' });
		expect(instagram.output).toHaveLength(1);
		expect(published).toMatchObject({
			published: true,
			instagramAccountId: IG_ACCOUNT,
			mediaType: 'IMAGE',
		});
		expect(sent.wamid).toMatch(/^wamid\./);
		expect(published.mediaId).toMatch(/^\d+$/);
		expect(answer.output).toBe(
			`All done: the account can publish, WhatsApp message ${sent.wamid} went to Ana, Instagram post ${published.mediaId} is live.`,
		);
	});

	it('Meta received the check’s reads first, then one WhatsApp text and one Instagram container + publish, as the model chose', () => {
		const writes = operations.filter((op) => op.method !== 'GET');
		const firstWrite = operations.indexOf(writes[0]);
		const reads = operations.slice(0, firstWrite);
		// The Asset Check only reads: the token, its Pages, and the quota of the account the model named.
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((op) => op.method === 'GET')).toBe(true);
		expect(reads.map((op) => op.path)).toEqual(
			expect.arrayContaining([
				'/debug_token',
				'/me/accounts',
				`/${IG_ACCOUNT}/content_publishing_limit`,
			]),
		);

		expect(writes.map((op) => `${op.method} ${op.path} ${op.status}`)).toEqual([
			`POST /${PHONE_NUMBER_ID}/messages 200`,
			`POST /${IG_ACCOUNT}/media 200`,
			`POST /${IG_ACCOUNT}/media_publish 200`,
		]);
		const [message, container, publish] = writes;
		const body =
			(typeof message.body === 'string' ? JSON.parse(message.body) : message.body) ??
			message.params;
		expect(body).toMatchObject({
			messaging_product: 'whatsapp',
			type: 'text',
			text: { body: MESSAGE },
		});
		expect(String(body.to).replace(/\D/g, '')).toBe(RECIPIENT_WA_ID);
		expect(container.params).toMatchObject({ image_url: imageUrl, caption: CAPTION });
		expect(publish.params.creation_id).toBe(toolRun(NODES.instagram).output[0].containerId);
	});

	it('n8n offered the model our three tools, named after their nodes, with the $fromAI parameters described', () => {
		const names = firstRequest().tools?.map((t) => t.function.name) ?? [];
		expect([...names].sort()).toEqual(Object.values(TOOL_NAMES).sort());
		const parameters = (tool: ModelTool) =>
			Object.fromEntries(
				Object.entries(tool.parameters.properties ?? {}).map(([key, p]) => [key, p.description]),
			);
		expect(parameters(offered(TOOL_NAMES.check))).toEqual({
			instagram_account_id: 'The id of the Instagram account to check',
		});
		expect(parameters(offered(TOOL_NAMES.whatsApp))).toEqual({
			recipient: 'The phone number to write to, in international format',
			message: 'The text of the WhatsApp message',
		});
		expect(parameters(offered(TOOL_NAMES.instagram))).toEqual({
			image_url: 'The public URL of the JPEG image to publish',
			caption: 'The caption of the post',
		});
		// Every request offered the same tools (the agent loop keeps them).
		for (const request of model.requests)
			expect(request.tools?.map((t) => t.function.name)).toEqual(names);
	});

	it('the tool descriptions n8n sent say what each does, which ones write, and that a write is not repeated on retry', () => {
		const check = offered(TOOL_NAMES.check).description;
		const whatsApp = offered(TOOL_NAMES.whatsApp).description;
		const instagram = offered(TOOL_NAMES.instagram).description;
		expect(check).toMatch(/check/i);
		expect(check).toMatch(/instagram/i);
		expect(check).toMatch(/read-only|only reads|without changing anything|changes nothing/i);
		expect(whatsApp).toMatch(/send/i);
		expect(whatsApp).toMatch(/text message/i);
		expect(instagram).toMatch(/publish/i);
		expect(instagram).toMatch(/image/i);
		for (const description of [whatsApp, instagram]) {
			expect(description).toMatch(/\bwrites?\b/i);
			expect(description).toMatch(/not (be )?repeated on retry|never repeated on retry/i);
		}
	});

	it('no token or app secret reached the model or the execution output', () => {
		const sentToModel = JSON.stringify(model.requests);
		for (const secret of SECRETS) {
			expect(sentToModel).not.toContain(secret);
			expect(result.stdout).not.toContain(secret);
		}
		// The model's own key stays in the credential.
		expect(result.stdout).not.toContain(MODEL_API_KEY);
	});
});
