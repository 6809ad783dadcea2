/**
 * Consistency checks of a scenario file: dangling references and id collisions make a scenario
 * silently behave unlike Meta, so the simulator tests run this over every scenario.
 */
import type { Scenario } from '../types';

export function validateScenario(scenario: Scenario): string[] {
	const problems: string[] = [];
	const ids = new Map<string, string>();
	const claim = (id: string, what: string): void => {
		if (typeof id !== 'string' || id === '')
			problems.push(`${what}: id must be a non-empty string`);
		else if (!/^\d+$/.test(id)) problems.push(`${what}: id "${id}" is not numeric like Meta's`);
		const previous = ids.get(id);
		if (previous) problems.push(`${what}: id ${id} is also used by ${previous}`);
		ids.set(id, what);
	};
	const has = (list: Array<{ id: string }> | undefined, id: string | null | undefined): boolean =>
		!id || (list ?? []).some((item) => item.id === id);
	for (const key of ['name', 'description'] as const)
		if (typeof scenario[key] !== 'string') problems.push(`scenario.${key} is missing`);
	for (const key of ['apps', 'users', 'tokens'] as const)
		if (!Array.isArray(scenario[key])) problems.push(`scenario.${key} must be an array`);
	if (problems.length) return problems;

	scenario.apps.forEach((app) => claim(app.id, `app ${app.name}`));
	scenario.users.forEach((user) => claim(user.id, `user ${user.name}`));
	scenario.pages?.forEach((page) => claim(page.id, `page ${page.name}`));
	scenario.instagramAccounts?.forEach((account) =>
		claim(account.id, `instagram account ${account.username}`),
	);
	scenario.businesses?.forEach((business) => claim(business.id, `business ${business.name}`));
	scenario.wabas?.forEach((waba) => claim(waba.id, `WABA ${waba.name}`));
	scenario.phoneNumbers?.forEach((phone) =>
		claim(phone.id, `phone number ${phone.displayPhoneNumber}`),
	);
	scenario.templates?.forEach((template) => claim(template.id, `template ${template.name}`));

	const tokens = new Set<string>();
	for (const token of scenario.tokens) {
		const what = `token ${token.token.slice(0, 8)}…`;
		if (tokens.has(token.token)) problems.push(`${what}: listed twice`);
		tokens.add(token.token);
		if (!has(scenario.apps, token.appId)) problems.push(`${what}: unknown appId ${token.appId}`);
		if (!has(scenario.users, token.userId))
			problems.push(`${what}: unknown userId ${token.userId}`);
		if (!has(scenario.pages, token.pageId))
			problems.push(`${what}: unknown pageId ${token.pageId}`);
		if (!has(scenario.instagramAccounts, token.instagramAccountId))
			problems.push(`${what}: unknown instagramAccountId ${token.instagramAccountId}`);
		if ((token.type === 'USER' || token.type === 'SYSTEM_USER') && !token.userId)
			problems.push(`${what}: ${token.type} token needs userId`);
		if (token.type === 'PAGE' && !token.pageId) problems.push(`${what}: PAGE token needs pageId`);
		if (token.type === 'INSTAGRAM' && !token.instagramAccountId)
			problems.push(`${what}: INSTAGRAM token needs instagramAccountId`);
		if (!Array.isArray(token.scopes)) problems.push(`${what}: scopes must be an array`);
		if (token.isValid === false && token.invalidSubcode === undefined)
			problems.push(
				`${what}: isValid false needs invalidSubcode (or remove the token to make it unknown)`,
			);
	}
	for (const page of scenario.pages ?? []) {
		for (const userId of Object.keys(page.tasks ?? {})) {
			if (!has(scenario.users, userId))
				problems.push(`page ${page.id}: tasks for unknown user ${userId}`);
		}
		if (!has(scenario.instagramAccounts, page.instagramAccountId))
			problems.push(`page ${page.id}: unknown instagramAccountId ${page.instagramAccountId}`);
	}
	for (const account of scenario.instagramAccounts ?? []) {
		if (!has(scenario.pages, account.linkedPageId))
			problems.push(`instagram ${account.id}: unknown linkedPageId ${account.linkedPageId}`);
	}
	for (const business of scenario.businesses ?? []) {
		for (const userId of business.userIds ?? [])
			if (!has(scenario.users, userId))
				problems.push(`business ${business.id}: unknown user ${userId}`);
		for (const id of [...(business.ownedWabaIds ?? []), ...(business.clientWabaIds ?? [])]) {
			if (!has(scenario.wabas, id)) problems.push(`business ${business.id}: unknown WABA ${id}`);
		}
		for (const id of [...(business.ownedPageIds ?? []), ...(business.clientPageIds ?? [])]) {
			if (!has(scenario.pages, id)) problems.push(`business ${business.id}: unknown page ${id}`);
		}
	}
	for (const phone of scenario.phoneNumbers ?? []) {
		if (!has(scenario.wabas, phone.wabaId))
			problems.push(`phone number ${phone.id}: unknown wabaId ${phone.wabaId}`);
	}
	for (const template of scenario.templates ?? []) {
		if (!has(scenario.wabas, template.wabaId))
			problems.push(`template ${template.id}: unknown wabaId ${template.wabaId}`);
	}
	for (const code of scenario.oauthCodes ?? []) {
		if (!tokens.has(code.tokenFrom)) problems.push(`oauth code ${code.code}: unknown tokenFrom`);
	}
	return problems;
}
