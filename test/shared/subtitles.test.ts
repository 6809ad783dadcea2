/**
 * Node subtitles show the operation's name ("Publish Image"), never internal values
 * ("publishImage: post"): every resource/operation pair a node offers maps to a name made of the
 * operation's own words.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { MetaAssetCheck } from '../../nodes/Meta/AssetCheck/MetaAssetCheck.node';
import { InstagramEngage } from '../../nodes/Meta/InstagramEngage/InstagramEngage.node';
import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { MetaTrigger } from '../../nodes/Meta/Trigger/MetaTrigger.node';
import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';

function subtitleMap(description: INodeTypeDescription): Record<string, string> {
	const subtitle = String(description.subtitle);
	const match =
		/^=\{\{ (\{.*\})\[\$parameter\["resource"\] \+ ":" \+ \$parameter\["operation"\]\] \}\}$/.exec(
			subtitle,
		);
	expect(match).not.toBeNull();
	return JSON.parse(match![1]) as Record<string, string>;
}

function pairs(description: INodeTypeDescription): Array<[string, string, string]> {
	const resource = description.properties.find((p) => p.name === 'resource') as INodeProperties;
	const resources = (resource.options ?? []).map((o) => String((o as { value: string }).value));
	return description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => {
			const shown = (p.displayOptions?.show?.resource ?? []) as string[];
			return shown
				.filter((r) => resources.includes(r))
				.flatMap((r) =>
					(p.options ?? []).map((o) => {
						const option = o as { name: string; value: string };
						return [r, option.value, option.name] as [string, string, string];
					}),
				);
		});
}

describe.each([
	['WhatsApp Send', new WhatsAppSend().description],
	['Instagram Publish', new InstagramPublish().description],
	['Instagram Engage', new InstagramEngage().description],
])('%s subtitle', (_name, description) => {
	it('names every operation in words, and nothing else', () => {
		const map = subtitleMap(description);
		const offered = pairs(description);
		expect(offered.length).toBeGreaterThan(0);
		for (const [resource, operation, name] of offered) {
			const shown = map[`${resource}:${operation}`];
			expect({ resource, operation, shown }).toEqual({
				resource,
				operation,
				shown: expect.any(String),
			});
			for (const word of name.split(' ')) expect(shown).toContain(word);
			expect(shown).not.toBe(operation);
		}
		expect(Object.keys(map).sort()).toEqual(offered.map(([r, o]) => `${r}:${o}`).sort());
	});
});

describe.each([
	['WhatsApp Send', new WhatsAppSend().description],
	['Instagram Publish', new InstagramPublish().description],
	['Instagram Engage', new InstagramEngage().description],
	['Meta Asset Check', new MetaAssetCheck().description],
	['Meta Trigger', new MetaTrigger().description],
])('%s authentication', (_name, description) => {
	it('the Access Token authentication has one name in every node, and is the default', () => {
		const authentication = description.properties.find((p) => p.name === 'authentication');
		const accessToken = authentication?.options?.find(
			(o) => (o as { value: string }).value === 'accessToken',
		);
		expect(accessToken?.name).toBe('Access Token');
		expect(authentication?.default).toBe('accessToken');
	});
});
