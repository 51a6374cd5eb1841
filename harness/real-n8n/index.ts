// Driving a real n8n (the CLI of the cached install: n8n 2.41.1 on Node 24 by default, or the
// version ELECTIO_N8N_VERSION names) with this package installed: install and pack, the user folder
// and its commands, reading executions, the quotes flow's report, the editor of `npm run n8n`.
export * from './editor';
export * from './execution';
export * from './install';
export * from './nodeTypes';
export * from './report';
export * from './userFolder';
export * from './queue';
export * from './services';
