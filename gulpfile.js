const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript; icons (light and dark SVGs) and codex files must be copied beside
// the compiled nodes and credentials so n8n finds them relative to the .js files.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}', 'icons/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
