// Copies what n8n reads next to the compiled JavaScript: node and credential icons, and the
// node's output schemas (`__schema__/v<version>/<resource>/<operation>.json`, which n8n's editor
// shows before a step has run).
const path = require('path');
const { parallel, task, src, dest } = require('gulp');

task('build:icons', copyIcons);
task('build:schemas', copySchemas);
task('build:assets', parallel(copyIcons, copySchemas));

function copyIcons() {
	const nodeSource = path.resolve('nodes', '**', '*.{png,svg}');
	const nodeDestination = path.resolve('dist', 'nodes');
	src(nodeSource, { encoding: false }).pipe(dest(nodeDestination));

	const credSource = path.resolve('credentials', '**', '*.{png,svg}');
	const credDestination = path.resolve('dist', 'credentials');
	return src(credSource, { encoding: false }).pipe(dest(credDestination));
}

function copySchemas() {
	return src(path.resolve('nodes', '**', '__schema__', '**', '*.json'), {
		encoding: false,
	}).pipe(dest(path.resolve('dist', 'nodes')));
}
