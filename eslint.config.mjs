// Flat config. Scope: the published code (nodes/, credentials/) and package.json, the three
// things n8n's community-node scanner checks. Tests, simulator and tooling live under test/,
// bench/ and scripts/ and are type-checked by `npm run typecheck` instead.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

const { configs: n8nConfigs } = n8nNodesBase;

// eslint-plugin-n8n-nodes-base still ships eslintrc-style configs ({ plugins: [...], rules });
// flat config only needs their rule maps, with the plugin object registered once below.
const nodeRules = n8nConfigs.nodes.rules;
const credentialRules = n8nConfigs.credentials.rules;
const communityPackageRules = n8nConfigs.community.rules;

const languageOptions = {
	parser: tsParser,
	ecmaVersion: 'latest',
	sourceType: 'module',
};

export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'templates/**'],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions,
		plugins: {
			'n8n-nodes-base': n8nNodesBase,
		},
	},
	// @n8n/eslint-plugin-community-nodes: the rules n8n Cloud verification runs.
	{
		...communityNodes.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions,
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...credentialRules,
			// Wants a camelCase slug into n8n's own docs site ("only applicable to nodes in the main
			// repository", says the rule). Community credentials must link a full URL instead, which
			// @n8n/community-nodes/credential-documentation-url enforces; the two cannot both pass.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: nodeRules,
	},
	{
		files: ['package.json'],
		rules: communityPackageRules,
	},
];
