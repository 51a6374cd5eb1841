// The in-process n8n engine harness (n8n-core's WorkflowExecute, no server, no database, no CLI):
// createEngine() for a package's node and credential types, and helpers to read a run's results.
export * from './runner';
export * from './workflow';
