// Flat config, two scopes:
// - the published code (nodes/, credentials/) and package.json, the three things n8n's
//   community-node scanner checks, under n8n's own rule sets (unchanged by the second scope);
// - the code that is not published (test/, bench/, scripts/, simulator/) under typescript-eslint's
//   recommended rules, relaxed where tests and tooling legitimately need it (see that block).
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
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
		ignores: [
			'dist/**',
			'node_modules/**',
			'.n8n/**',
			'coverage/**',
			'templates/**',
			'test/e2e/.work/**',
			'test/e2e/screenshots/**',
		],
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
	// Tests, benchmarks, scripts and the simulator: not published, so n8n's rules do not apply;
	// typescript-eslint's recommended (syntax-only, no type information: fast) catches real mistakes.
	...tseslint.config({
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'simulator/**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions,
		rules: {
			// Tests build deliberately malformed inputs and read loosely typed answers (n8n's
			// INodeExecutionData json, Graph bodies, nock payloads); `any` there is the honest type.
			'@typescript-eslint/no-explicit-any': 'off',
			// Loading built dist/ files and CommonJS n8n internals at run time needs require().
			'@typescript-eslint/no-require-imports': 'off',
			// An unused argument kept for a callback's signature reads as `_name`.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
			],
		},
	}),
];
