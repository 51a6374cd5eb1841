// Driving a real n8n (the CLI of the cached install, Node 24) with this package installed: install
// and pack, the user folder and its commands, reading executions, the quotes flow's report.
export * from './execution';
export * from './install';
export * from './report';
export * from './userFolder';
export * from './queue';
export * from './services';
