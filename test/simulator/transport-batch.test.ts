/**
 * The package's batch helper (graphBatch, through n8n-core) against the simulator's batch engine:
 * write operations chained by `{result=name:$.id}` in form bodies and relative URLs, as the
 * Instagram node builds them (a carousel: two items, the album, its publish, a read-back).
 */
import { accessTokenCredentials, probe } from '../shared/helpers';
import { IG_BUSINESS_ID, USER_TOKEN, start, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
	h = await start('demo');
});

afterAll(async () => {
	await h.sim.stop();
});

function credentials() {
	return accessTokenCredentials({ accessToken: USER_TOKEN, baseUrl: h.sim.baseUrl });
}

it('publishes a carousel in one batch: form bodies and relative URLs reference earlier results', async () => {
	const image = `${h.sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=1350`;
	const { result, error } = await probe(
		'batch',
		{
			operations: [
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media`,
					name: 'first',
					body: { image_url: image, is_carousel_item: true },
				},
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media`,
					name: 'second',
					body: { image_url: image, is_carousel_item: true },
				},
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media`,
					name: 'album',
					body: {
						media_type: 'CAROUSEL',
						caption: 'Two & more = {fun}',
						children: '{result=first:$.id},{result=second:$.id}',
					},
				},
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media_publish`,
					name: 'publish',
					omitResponseOnSuccess: false,
					body: { creation_id: '{result=album:$.id}' },
				},
				{
					method: 'GET',
					relativeUrl: '{result=publish:$.id}?fields=media_type,caption',
					dependsOn: 'publish',
				},
			],
		},
		{ credentials: credentials() },
	);
	expect(error).toBeUndefined();
	const results = result as Array<{
		code: number;
		incomplete?: boolean;
		body?: Record<string, string>;
	}>;
	// Referenced operations answer null (omit_response_on_success), unless asked otherwise.
	expect(results.slice(0, 3)).toEqual([
		{ code: 0, incomplete: true },
		{ code: 0, incomplete: true },
		{ code: 0, incomplete: true },
	]);
	const publishedId = results[3].body?.id;
	expect(publishedId).toMatch(/^\d+$/);
	expect(results[4]).toEqual({
		code: 200,
		body: { media_type: 'CAROUSEL_ALBUM', caption: 'Two & more = {fun}', id: publishedId },
	});
	const batch = h.sim.control.requests().at(-1)?.batch;
	expect(batch?.map((op) => op.status)).toEqual([200, 200, 200, 200, 200]);
});

it('a failed write fails the operations that depend on it, each with its own error', async () => {
	const { result, error } = await probe(
		'batch',
		{
			operations: [
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media`,
					name: 'broken',
					body: { image_url: 'https://127.0.0.1:1/nothing.jpg' },
				},
				{
					method: 'POST',
					relativeUrl: `${IG_BUSINESS_ID}/media_publish`,
					body: { creation_id: '{result=broken:$.id}' },
				},
			],
		},
		{ credentials: credentials() },
	);
	expect(error).toBeUndefined();
	const results = result as Array<{
		code: number;
		error?: { code: number; error_subcode?: number };
	}>;
	expect(results[0]).toMatchObject({ code: 400, error: { code: 9004, error_subcode: 2207052 } });
	expect(results[1]).toMatchObject({ code: 400, error: { code: 1 } });
});
